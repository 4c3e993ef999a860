using IMatching.Vision.Matching;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A differentiable matcher behind Vision's <see cref="IPairMatcher"/>, so mapping, evaluation and the CLI can use
/// it like SIFT: OpenCV images in, detached correspondences out. Matching is inference: the network runs in
/// evaluation mode (batch-norm statistics fixed) under inference mode, so no graph is built and no weight or buffer
/// changes. A matcher split per frame (<see cref="IFrameFeatureMatcher"/>) keeps the last frames' features, so a
/// frame met in consecutive pairs runs through the backbone once; the adapter therefore assumes the weights do
/// not change while it is in use (the trainer makes a new one for each validation).
/// </summary>
/// <param name="ownsMatcher">Whether <see cref="Dispose"/> disposes the matcher too, or only the kept features (an adapter used as a view).</param>
public sealed class DifferentiablePairMatcher(IDifferentiableMatcher matcher, bool ownsMatcher = true) : IPairMatcher, IDisposable
{
    /// <summary>Enough for the pairs of a sliding evaluation (k to k+1, k+2, ...) to find both frames.</summary>
    private const int CachedFrames = 4;

    private readonly FrameFeatureCache _frames = new(CachedFrames);

    public IDifferentiableMatcher Matcher { get; } = matcher ?? throw new ArgumentNullException(nameof(matcher));
    public string Name => Matcher.Name;

    public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB)
    {
        ArgumentNullException.ThrowIfNull(imageA);
        ArgumentNullException.ThrowIfNull(imageB);
        Matcher.Train(false);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        PairPredictions predictions;
        if (Matcher is IFrameFeatureMatcher perFrame)
        {
            var a = _frames.Get(imageA, frameA, perFrame);
            var b = _frames.Get(imageB, frameB, perFrame);
            predictions = perFrame.PredictPair(frameA, frameB, a.Queries, a.Features, b.Features);
        }
        else
        {
            Tensor a = ImageTensor.FromMat(imageA, Matcher.Device);
            Tensor b = ImageTensor.FromMat(imageB, Matcher.Device);
            predictions = Matcher.Predict([a, b], [(0, 1)])[0];
        }
        Correspondences matches = predictions.ToCorrespondences();
        return matches with { FrameA = frameA, FrameB = frameB };
    }

    public void Dispose()
    {
        _frames.Dispose();
        if (ownsMatcher) Matcher.Dispose();
    }
}
