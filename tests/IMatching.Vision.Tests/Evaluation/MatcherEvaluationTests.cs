using IMatching.Geometry;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Evaluation;

public class MatcherEvaluationTests
{
    /// <summary>Matches every image to itself shifted by 2 px, and counts its calls.</summary>
    private sealed class ShiftMatcher : IPairMatcher
    {
        public int Calls { get; private set; }
        public string Name => "shift";

        public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB)
        {
            Calls++;
            return Correspondences.Create(frameA, frameB, [new Vec2(1, 1), new Vec2(4, 3)], [new Vec2(3, 1), new Vec2(6, 3)]);
        }
    }

    [Fact]
    public void ScoresEveryPairInOrderAfterAnUntimedWarmUp()
    {
        using var data = new TempDataset();
        // Target 2 is the reference shifted by 2 px (every match right), target 3 by 10 px (every match 8 px off).
        var set = new HomographySet("h", data.Image("1.png"), [data.Image("2.png"), data.Image("3.png")],
            [[1, 0, 2, 0, 1, 0, 0, 0, 1], [1, 0, 10, 0, 1, 0, 0, 0, 1]]);
        var matcher = new ShiftMatcher();
        var reports = new List<(int, int)>();

        var results = MatcherEvaluation.Run(matcher, EvaluationPairs.FromHomographySet(set), new ListProgress(reports));

        Assert.Equal(3, matcher.Calls);
        Assert.Equal([(1, 2), (2, 2)], reports);
        Assert.Equal(["1-2", "1-3"], results.Select(r => r.Pair.Label));
        Assert.Equal([1.0, 1, 1, 1, 1], results[0].Metrics.Mma!);
        Assert.Equal([0.0, 0, 0, 0, 1], results[1].Metrics.Mma!);
        Assert.All(results, r => Assert.True(r.Seconds >= 0));
        Assert.Equal([0.5, 0.5, 0.5, 0.5, 1], new ModelEvaluation("shift", results).Summary.Mma!);
    }

    /// <summary>Throws on the pairs whose target frame is listed, as a native error in the matcher would.</summary>
    private sealed class FailingMatcher(params int[] failingTargets) : IPairMatcher
    {
        public string Name => "failing";

        public Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB) =>
            failingTargets.Contains(frameB)
                ? throw new System.Runtime.InteropServices.ExternalException("Unknown scalar type")
                : Correspondences.Create(frameA, frameB, [new Vec2(1, 1)], [new Vec2(3, 1)]);
    }

    private static IReadOnlyList<EvaluationPair> ThreePairs(TempDataset data) => EvaluationPairs.FromHomographySet(new HomographySet("h", data.Image("1.png"),
        [data.Image("2.png"), data.Image("3.png"), data.Image("4.png")], [[1, 0, 2, 0, 1, 0, 0, 0, 1], [1, 0, 2, 0, 1, 0, 0, 0, 1], [1, 0, 2, 0, 1, 0, 0, 0, 1]]));

    [Fact]
    public void An_isolated_run_reports_a_failing_pair_and_goes_on()
    {
        using var data = new TempDataset();
        var seen = new List<string>();
        var failed = new List<PairFailure>();

        var results = MatcherEvaluation.RunIsolated(new FailingMatcher(2), ThreePairs(data), r => seen.Add(r.Pair.Label), failed.Add);

        Assert.Equal(["1-2", "1-4"], results.Select(r => r.Pair.Label));
        Assert.Equal(["1-2", "1-4"], seen);
        Assert.Equal("1-3", Assert.Single(failed).Pair.Label);
        Assert.Contains("Unknown scalar type", failed[0].Error.Message);
    }

    [Fact]
    public void An_isolated_run_fails_when_every_pair_fails_or_the_input_is_bad()
    {
        using var data = new TempDataset();
        var pairs = ThreePairs(data);
        var failed = new List<PairFailure>();
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => MatcherEvaluation.RunIsolated(new FailingMatcher(1, 2, 3), pairs, _ => { }, failed.Add));
        Assert.Equal(3, failed.Count);

        File.Delete(pairs[1].ImagePathB);
        var seen = new List<string>();
        Assert.ThrowsAny<UserInputException>(() => MatcherEvaluation.RunIsolated(new FailingMatcher(), pairs, r => seen.Add(r.Pair.Label), _ => { }));
        Assert.Equal(["1-2"], seen);
    }

    private sealed class ListProgress(List<(int, int)> reports) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => reports.Add(value);
    }
}
