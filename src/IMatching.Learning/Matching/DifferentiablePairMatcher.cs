using IMatching.Vision.Matching;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A differentiable matcher behind Vision's <see cref="IPairMatcher"/>, so mapping, evaluation and the CLI can use
/// it like SIFT: OpenCV images in, detached correspondences out, no autograd graph kept.
/// </summary>
public sealed class DifferentiablePairMatcher(IDifferentiableMatcher matcher) : IPairMatcher, IDisposable
{
    public IDifferentiableMatcher Matcher { get; } = matcher ?? throw new ArgumentNullException(nameof(matcher));
    public string Name => Matcher.Name;

    public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Evaluation is inference: stored batch-norm statistics, none updated (a trainer may have left training mode on).
        Matcher.Train(false);
        Tensor a = ImageTensor.FromMat(imageA, Matcher.Device);
        Tensor b = ImageTensor.FromMat(imageB, Matcher.Device);
        PairPredictions predictions = Matcher.Predict([a, b], [(0, 1)])[0];
        Correspondences matches = predictions.ToCorrespondences();
        return matches with { FrameA = frameA, FrameB = frameB };
    }

    public void Dispose() => Matcher.Dispose();
}
