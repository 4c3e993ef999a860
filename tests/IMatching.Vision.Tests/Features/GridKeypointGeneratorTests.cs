using IMatching.Geometry.Linear;
using IMatching.Vision.Features;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Features;

public sealed class GridKeypointGeneratorTests
{
    [Fact]
    public void Puts_points_every_step_inside_the_margin_row_by_row()
    {
        DetectedKeypoints grid = new GridKeypointGenerator(stepPx: 16, borderMarginPx: 8).Generate(width: 65, height: 40);

        // x: 8, 24, 40, 56 (<= 65 - 1 - 8); y: 8, 24 (40 > 40 - 1 - 8).
        Assert.Equal(
            [new(8, 8), new(24, 8), new(40, 8), new(56, 8), new(8, 24), new(24, 24), new(40, 24), new(56, 24)],
            grid.Points);
        Assert.All(grid.Scores, s => Assert.Equal(1.0, s));
    }

    [Fact]
    public void Covers_a_whole_image_with_zero_margin_and_reads_its_size()
    {
        using Mat image = new(480, 640, MatType.CV_8UC1, Scalar.All(0));

        DetectedKeypoints grid = new GridKeypointGenerator(stepPx: 16, borderMarginPx: 0).Detect(image);

        Assert.Equal(40 * 30, grid.Count);
        Assert.Equal(new Vec2(0, 0), grid.Points[0]);
        Assert.Equal(new Vec2(624, 464), grid.Points[^1]);
    }

    [Fact]
    public void An_image_smaller_than_its_margins_has_no_points() =>
        Assert.Equal(0, new GridKeypointGenerator(stepPx: 4, borderMarginPx: 10).Generate(width: 20, height: 100).Count);

    [Fact]
    public void Rejects_a_step_below_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GridKeypointGenerator(stepPx: 0));
}
