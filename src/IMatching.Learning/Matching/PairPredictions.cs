using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// What a differentiable matcher predicts for one frame pair; owns its tensors. Query i (pixels in frame A, fixed)
/// is predicted at <see cref="Coarse"/>[i] and <see cref="Fine"/>[i] in frame B (pixels, pixel centres at integers),
/// both attached to the autograd graph so that a loss on them trains the network.
/// </summary>
/// <param name="Queries">n x 2 (x, y) in frame A; not learned, so plain doubles.</param>
/// <param name="Coarse">n x 2 float32 in frame B, from the low-resolution level.</param>
/// <param name="Fine">n x 2 float32 in frame B, the final prediction.</param>
/// <param name="Std">n spreads of the predicted distribution in pixels (expectation heads), or null.</param>
/// <param name="Confidence">n probabilities in [0, 1] that the match is right (regression heads), or null.</param>
/// <param name="OriginIds">n ids tracing each prediction back to this pair and its query.</param>
public sealed record PairPredictions(
    int FrameA, int FrameB, double[,] Queries, Tensor Coarse, Tensor Fine, Tensor? Std, Tensor? Confidence, long[] OriginIds) : IDisposable
{
    public int Count => OriginIds.Length;

    /// <summary>Lets every tensor outlive the innermost dispose scope.</summary>
    internal PairPredictions MoveToOuterDisposeScope() => this with
    {
        Coarse = Coarse.MoveToOuterDisposeScope(),
        Fine = Fine.MoveToOuterDisposeScope(),
        Std = Std?.MoveToOuterDisposeScope(),
        Confidence = Confidence?.MoveToOuterDisposeScope(),
    };

    public void Dispose()
    {
        Coarse.Dispose();
        Fine.Dispose();
        Std?.Dispose();
        Confidence?.Dispose();
    }
}
