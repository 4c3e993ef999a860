using IMatching.Vision.Evaluation;

namespace IMatching.Vision.Tests.Evaluation;

public class ThresholdFractionsTests
{
    [Fact]
    public void CountsErrorsAtOrUnderEachThresholdAndSkipsUnjudgedMatches()
    {
        double[] errors = [0.5, 1, 2.5, 4, 20, double.NaN];
        var fractions = ThresholdFractions.Compute(errors, MetricThresholds.Pixels);
        Assert.Equal([2 / 5.0, 2 / 5.0, 3 / 5.0, 4 / 5.0, 4 / 5.0], fractions!);
    }

    [Fact]
    public void NoMatchesScoreZeroButOnlyUnjudgedMatchesHaveNoScore()
    {
        Assert.Equal([0.0, 0, 0, 0, 0], ThresholdFractions.Compute([], MetricThresholds.Pixels)!);
        Assert.Null(ThresholdFractions.Compute([double.NaN, double.NaN], MetricThresholds.Pixels));
    }
}
