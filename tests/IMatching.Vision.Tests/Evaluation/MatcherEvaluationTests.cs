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

    private sealed class ListProgress(List<(int, int)> reports) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => reports.Add(value);
    }
}
