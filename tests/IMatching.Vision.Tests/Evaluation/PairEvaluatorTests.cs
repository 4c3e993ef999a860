using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Evaluation;

public class PairEvaluatorTests
{
    private static readonly PinholeCamera Camera = new(64, 48, 50, 50, 32, 24);
    private static readonly Se3 AFromWorld = Se3.Identity;
    private static readonly Se3 BFromWorld = new(So3.Exp(new Vec3(0, 0.05, 0)), new Vec3(-0.2, 0.01, 0));

    /// <summary>Depth that jumps from pixel to pixel: a plane would let two poses explain the matches equally well.</summary>
    private static double DepthMetres(int x, int y) => 1.5 + (x * 7 + y * 13) % 10 * 0.2;

    /// <summary>Queries on a grid of A and their exact matches in B; the first <paramref name="shifted"/> moved 4 px.</summary>
    private static Correspondences WallMatches(int shifted)
    {
        var bFromA = BFromWorld.Compose(AFromWorld.Inverse());
        var a = new List<Vec2>();
        var b = new List<Vec2>();
        for (int y = 6; y < 48; y += 8)
            for (int x = 6; x < 64; x += 8)
            {
                a.Add(new Vec2(x, y));
                var exact = Camera.Project(bFromA.Act(Camera.Unproject(new Vec2(x, y), DepthMetres(x, y))));
                b.Add(a.Count <= shifted ? exact + new Vec2(0, 4) : exact);
            }
        return Correspondences.Create(0, 1, [.. a], [.. b]);
    }

    [Fact]
    public void PosedFramesWithDepthGetEveryMetric()
    {
        using var data = new TempDataset();
        string depth = data.DepthPng("depth/a.png", 64, 48, [.. Enumerable.Range(0, 64 * 48).Select(i => (ushort)Math.Round(DepthMetres(i % 64, i / 64) * 5000))]);
        var a = new Frame(0, 0, "a.png", Camera, AFromWorld, depth, 5000);
        var b = new Frame(1, 0.1, "b.png", Camera, BFromWorld);
        var pair = EvaluationPairs.FromSequence(new Sequence("wall", [a, b]), [1])[0];
        var matches = WallMatches(shifted: 12);

        var metrics = PairEvaluator.Evaluate(pair, matches);

        // 48 matches, 12 of them 4 px off: correct at 5 px and above, wrong below.
        Assert.Equal([0.75, 0.75, 0.75, 1, 1], metrics.Mma!);
        Assert.Equal(0.75, metrics.Epipolar![0]);
        Assert.True(metrics.PoseErrorDegrees < 0.5, $"pose error {metrics.PoseErrorDegrees} deg");
        Assert.Equal(3, metrics.Auc!.Length);
        Assert.Same(metrics.ReferenceErrorsPx, metrics.MatchErrorsPx);
    }

    [Fact]
    public void WithoutDepthOnlyPoseMetricsAndWithoutPosesNone()
    {
        var a = new Frame(0, 0, "a.png", Camera, AFromWorld);
        var b = new Frame(1, 0.1, "b.png", Camera, BFromWorld);
        var posed = PairEvaluator.Evaluate(EvaluationPairs.FromSequence(new Sequence("s", [a, b]), [1])[0], WallMatches(0));
        Assert.Null(posed.Mma);
        Assert.Equal([1.0, 1, 1, 1, 1], posed.Epipolar!);
        Assert.NotNull(posed.PoseErrorDegrees);
        Assert.Same(posed.EpipolarErrorsPx, posed.MatchErrorsPx);

        var unposed = PairEvaluator.Evaluate(EvaluationPairs.FromSequence(new Sequence("s", [a with { GroundTruthCameraFromWorld = null }, b]), [1])[0], WallMatches(0));
        Assert.Equal(new PairMetrics(null, null, null, null, null), unposed);
    }

    [Fact]
    public void HomographyPairsGetOnlyMma()
    {
        var set = new HomographySet("h", "1.png", ["2.png"], [[1, 0, 3, 0, 1, 4, 0, 0, 1]]);
        var matches = Correspondences.Create(0, 1, [new Vec2(0, 0), new Vec2(10, 10)], [new Vec2(3, 4), new Vec2(10, 10)]);
        var metrics = PairEvaluator.Evaluate(EvaluationPairs.FromHomographySet(set)[0], matches);
        Assert.Equal([0.5, 0.5, 0.5, 1, 1], metrics.Mma!);
        Assert.Null(metrics.Epipolar);
        Assert.Null(metrics.Auc);
    }
}
