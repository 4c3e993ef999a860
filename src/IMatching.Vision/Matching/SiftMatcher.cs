using OpenCvSharp;
using OpenCvSharp.Features2D;

namespace IMatching.Vision.Matching;

/// <summary>
/// SIFT keypoints matched by L2 descriptor distance (<see cref="DescriptorMatcherOptions"/>).
/// Confidence = 1 - best/second-best distance, in [0, 1]; origin id = the A keypoint's rank by
/// response (0 = strongest). Matches come ordered by origin id, identically on every run.
/// </summary>
public sealed class SiftMatcher(DescriptorMatcherOptions? options = null) : IPairMatcher
{
    public DescriptorMatcherOptions Options { get; } = options ?? new DescriptorMatcherOptions();
    public string Name => "sift";

    public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB) =>
        DescriptorPairMatching.Match(() => SIFT.Create(Options.MaxFeatures), NormTypes.L2, Options, imageA, imageB, frameA, frameB);
}
