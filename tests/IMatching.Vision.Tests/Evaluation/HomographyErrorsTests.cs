using IMatching.Geometry.Linear;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Evaluation;

public class HomographyErrorsTests
{
    [Fact]
    public void MeasuresEachMatchAgainstTheMappedQuery()
    {
        // Scale by 2 about the origin, then shift by (10, -5): (3, 4) -> (16, 3); (0, 0) -> (10, -5).
        var h = new Mat3(2, 0, 10, 0, 2, -5, 0, 0, 1);
        var matches = Correspondences.Create(0, 1, [new Vec2(3, 4), new Vec2(0, 0), new Vec2(1, 1)], [new Vec2(16, 3), new Vec2(13, -1), new Vec2(12, -3)]);

        var errors = HomographyErrors.Compute(matches, h);

        Assert.Equal([0.0, 5, 0], errors);
        Assert.Equal([2 / 3.0, 2 / 3.0, 2 / 3.0, 1, 1], ThresholdFractions.Compute(errors, MetricThresholds.Pixels)!);
    }

    [Fact]
    public void ProjectiveDivisionIsApplied()
    {
        // w = 0.5 x + 1: (2, 2) -> (2, 2, 2) -> (1, 1).
        var h = new Mat3(1, 0, 0, 0, 1, 0, 0.5, 0, 1);
        var matches = Correspondences.Create(0, 1, [new Vec2(2, 2)], [new Vec2(1, 2)]);
        Assert.Equal(1, HomographyErrors.Compute(matches, h)[0], 12);
    }
}
