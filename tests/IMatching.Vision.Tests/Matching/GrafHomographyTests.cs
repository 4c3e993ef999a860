using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;
using Xunit.Abstractions;

namespace IMatching.Vision.Tests.Matching;

/// <summary>Oxford graffiti 1 → 2 (20 degrees of viewpoint change) against its published homography.</summary>
public sealed class GrafHomographyTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(RepoPaths.Shared, "data", "graf");

    [Theory]
    [InlineData("sift", 0.7)]
    [InlineData("orb", 0.5)]
    public void Most_matches_lie_within_3_px_of_the_ground_truth(string matcherName, double minFraction)
    {
        using Mat img1 = Cv2.ImRead(Path.Combine(Folder, "img1.png"), ImreadModes.Color);
        using Mat img2 = Cv2.ImRead(Path.Combine(Folder, "img2.png"), ImreadModes.Color);
        Assert.False(img1.Empty() || img2.Empty(), $"graf images missing in {Folder}");
        Mat3 h = Homographies.Read(Path.Combine(Folder, "H1to2p"));

        Correspondences matches = Matchers.ByName(matcherName).Match(img1, img2, 1, 2);

        double fraction = Homographies.FractionWithin(matches, h, thresholdPx: 3);
        output.WriteLine($"graf 1->2 {matcherName}: {matches.Count} matches, {fraction:P1} within 3 px of H1to2p");
        Assert.True(matches.Count >= 200, $"only {matches.Count} matches");
        Assert.True(fraction > minFraction, $"only {fraction:P1} within 3 px");
    }
}
