using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;
using Xunit.Abstractions;

namespace IMatching.Vision.Tests.Matching;

/// <summary>SIFT and ORB on a drawn texture and its copy under a known translation or homography.</summary>
public sealed class KnownTransformMatchingTests(ITestOutputHelper output)
{
    // Mild viewpoint change: 8 degrees of rotation, 10 % zoom out, a little perspective.
    private static readonly Mat3 Homography = new(
        0.89, -0.13, 60,
        0.12, 0.88, 20,
        1.5e-4, -1e-4, 1);

    // ORB's coarsest pyramid level is 1.2^7 = 3.6 times smaller than the image, and FAST puts its
    // corners on that level's pixel grid: correct ORB matches can be 1.8 px off, so ORB gets 3 px.
    public static TheoryData<string, string, double> Cases => new()
    {
        { "sift", "translation", 1.5 }, { "sift", "homography", 1.5 },
        { "orb", "translation", 3.0 }, { "orb", "homography", 3.0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Most_matches_agree_with_the_transform(string matcherName, string transform, double thresholdPx)
    {
        using Mat imageA = SyntheticImages.Textured();
        Mat3 h = transform == "translation" ? Homographies.Translation(23, -17) : Homography;
        using Mat imageB = transform == "translation" ? SyntheticImages.Translated(imageA, 23, -17) : SyntheticImages.Warped(imageA, h);

        Correspondences matches = Matchers.ByName(matcherName).Match(imageA, imageB, 3, 4);

        double inliers = Homographies.FractionWithin(matches, h, thresholdPx);
        output.WriteLine($"{matcherName} {transform}: {matches.Count} matches, {Homographies.FractionWithin(matches, h, 1.5):P1} within 1.5 px, {inliers:P1} within {thresholdPx} px");
        Assert.Equal((3, 4), (matches.FrameA, matches.FrameB));
        Assert.True(matches.Count >= 100, $"only {matches.Count} matches");
        Assert.True(inliers >= 0.9, $"only {inliers:P1} within {thresholdPx} px");
    }
}
