using IMatching.Vision.Features;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Features;

public sealed class OpenCvKeypointDetectorTests
{
    [Theory]
    [InlineData("sift:300")]
    [InlineData("orb:300")]
    [InlineData("fast:300")]
    public void Returns_at_most_the_budget_strongest_first_outside_the_margin(string spec)
    {
        using Mat image = SyntheticImages.Textured();

        DetectedKeypoints points = KeypointDetectorSpec.Parse(spec).CreateDetector(borderMarginPx: 20).Detect(image);

        Assert.Equal(300, points.Count);
        Assert.True(points.Scores.Zip(points.Scores.Skip(1)).All(p => p.First >= p.Second), "scores must not increase");
        Assert.All(points.Points, p => Assert.True(p.X >= 20 && p.X <= 619 && p.Y >= 20 && p.Y <= 459, $"{p} lies in the margin"));
        Assert.Equal(points.Count, points.Points.Distinct().Count());
    }

    [Theory]
    [InlineData("sift:200")]
    [InlineData("orb:200")]
    [InlineData("fast:200")]
    public void Buckets_spread_points_into_weakly_textured_regions(string spec)
    {
        // Full contrast on the left half, 30 % of it on the right: unbucketed, the left takes nearly everything.
        using Mat image = SyntheticImages.Textured();
        using Mat right = image[new Rect(320, 0, 320, 480)];
        right.ConvertTo(right, -1, alpha: 0.3, beta: 90);
        KeypointDetectorSpec parsed = KeypointDetectorSpec.Parse(spec);

        int plainRight = parsed.CreateDetector().Detect(image).Points.Count(p => p.X >= 320);
        int spreadRight = parsed.CreateDetector(buckets: new Buckets(4, 3)).Detect(image).Points.Count(p => p.X >= 320);

        Assert.True(spreadRight >= 60, $"{spec}: {spreadRight} of 200 bucketed points on the faint half");
        Assert.True(spreadRight > 2 * plainRight, $"{spec}: bucketed {spreadRight}, plain {plainRight} on the faint half");
    }

    [Fact]
    public void A_grid_is_not_an_opencv_detector() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenCvKeypointDetector(KeypointDetectorKind.Grid, new KeypointSelectionOptions(10)));
}
