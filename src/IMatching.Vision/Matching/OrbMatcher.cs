using OpenCvSharp;

namespace IMatching.Vision.Matching;

/// <summary>
/// ORB keypoints matched by Hamming distance of their binary descriptors (<see cref="DescriptorMatcherOptions"/>).
/// Confidence = 1 - best/second-best distance, in [0, 1]; origin id = the A keypoint's rank by
/// response (0 = strongest). Matches come ordered by origin id, identically on every run.
/// </summary>
public sealed class OrbMatcher(DescriptorMatcherOptions? options = null) : IPairMatcher
{
    public DescriptorMatcherOptions Options { get; } = options ?? new DescriptorMatcherOptions();
    public string Name => "orb";

    public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB) =>
        DescriptorPairMatching.Match(() => ORB.Create(Options.MaxFeatures), NormTypes.Hamming, Options, imageA, imageB, frameA, frameB);
}
