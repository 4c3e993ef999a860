using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// The keypoints of one image; owns its tensors. All of them stay attached to the autograd graph of the score and
/// descriptor maps, so a loss on positions, scores or descriptors trains the backbone.
/// </summary>
/// <param name="Positions">Nx2 (x, y) in pixels, pixel centres at integers: x = (u + 1) / 2 * (W - 1) for u in [-1, 1].</param>
/// <param name="Scores">N scores, bilinearly sampled from the score map at <paramref name="Positions"/>.</param>
/// <param name="Descriptors">NxD descriptors, bilinearly sampled and L2-normalised.</param>
/// <param name="Dispersity">
/// N score dispersities (softmax-weighted mean squared distance from the refined position, in radius units);
/// <c>null</c> without sub-pixel refinement. ALIKE's training losses use it.
/// </param>
public sealed record AlikeKeypoints(Tensor Positions, Tensor Scores, Tensor Descriptors, Tensor? Dispersity) : IDisposable
{
    /// <summary>Number of keypoints.</summary>
    public long Count => Positions.shape[0];

    /// <summary>Lets all tensors outlive the innermost dispose scope.</summary>
    internal AlikeKeypoints MoveToOuterDisposeScope() => new(
        Positions.MoveToOuterDisposeScope(),
        Scores.MoveToOuterDisposeScope(),
        Descriptors.MoveToOuterDisposeScope(),
        Dispersity?.MoveToOuterDisposeScope());

    public void Dispose()
    {
        Positions.Dispose();
        Scores.Dispose();
        Descriptors.Dispose();
        Dispersity?.Dispose();
    }
}
