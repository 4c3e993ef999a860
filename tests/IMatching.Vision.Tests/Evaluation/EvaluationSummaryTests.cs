using IMatching.Geometry.Linear;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Evaluation;

public class EvaluationSummaryTests
{
    private static PairResult Result(string dataset, int matches, double seconds, double[]? mma, double? poseError = null) => new(
        new EvaluationPair(dataset, "0-1", "a", "b", 0, 1),
        Correspondences.Create(0, 1, new Vec2[matches], new Vec2[matches]),
        seconds,
        new PairMetrics(mma, null, poseError, null, null));

    [Fact]
    public void MmaIsAveragedPerPairThenPerDataset()
    {
        // Dataset x: pairs 1.0 and 0.5 -> 0.75; dataset y: one pair at 0.25 and one without a value -> 0.25; mean 0.5.
        var summary = EvaluationSummary.Aggregate([
            Result("x", 10, 0.1, [1, 1, 1, 1, 1]),
            Result("x", 20, 0.2, [0.5, 0.5, 0.5, 0.5, 0.5]),
            Result("y", 30, 0.3, [0.25, 0.25, 0.25, 0.25, 0.25]),
            Result("y", 40, 0.4, null),
        ]);

        Assert.Equal(4, summary.Pairs);
        Assert.All(summary.Mma!, v => Assert.Equal(0.5, v, 12));
        Assert.Null(summary.Epipolar);
        Assert.Null(summary.Auc);
        Assert.Equal(25, summary.MatchesPerPair, 12);
        Assert.Equal(0.25, summary.SecondsPerPair, 12);
    }

    [Fact]
    public void AucPoolsThePoseErrorsOfEveryPair()
    {
        var summary = EvaluationSummary.Aggregate([Result("x", 5, 0, null, 7), Result("x", 5, 0, null, 1), Result("y", 5, 0, null, 30), Result("y", 5, 0, null, 3)]);
        Assert.Equal(PoseAuc.Compute([1, 3, 7, 30], MetricThresholds.Degrees), summary.Auc!);
    }
}
