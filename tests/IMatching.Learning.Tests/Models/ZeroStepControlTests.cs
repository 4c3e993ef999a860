using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Matching;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;

namespace IMatching.Learning.Tests.Models;

/// <summary>
/// The 0-step control of every before/after table: a run of 0 steps writes the starting model as its checkpoint, and
/// evaluating that checkpoint (<c>ckpt:RUN</c>) reproduces the starting model's numbers exactly — so a difference after
/// training is learning, not a change of mode, statistics or loading path.
/// </summary>
[Trait("Category", "Long")]
public sealed class ZeroStepControlTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imatching-control-").FullName;
    private static readonly string Tum = Path.Combine(RepoPaths.Shared, "data", "tum_fr2_desk");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Starts => new()
    {
        $"alike-t+exp:{MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)}",
        $"caps-resnet18:{MatchingFixtures.CapsRandomWeights}",
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void A_zero_step_checkpoint_evaluates_exactly_as_its_start(string start)
    {
        var pairs = EvaluationPairs.FromSpec(DataSpec.Parse($"tum:{Tum}#0-1"), [1]);
        var before = Evaluate(start, pairs);
        string run = ZeroStepRun(start);
        AssertSame(before, Evaluate($"ckpt:{run}", pairs));
    }

    [Fact]
    public void A_zero_step_run_from_a_checkpoint_evaluates_exactly_as_that_checkpoint()
    {
        var pairs = EvaluationPairs.FromSpec(DataSpec.Parse($"tum:{Tum}#0-1"), [1]);
        string first = ZeroStepRun($"alike-t+exp:{MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)}");
        var before = Evaluate($"ckpt:{first}", pairs);
        AssertSame(before, Evaluate($"ckpt:{ZeroStepRun($"ckpt:{first}")}", pairs));
    }

    [Fact]
    public void A_checkpoint_rebuilds_the_window_centre_it_was_trained_with()
    {
        var pairs = EvaluationPairs.FromSpec(DataSpec.Parse($"tum:{Tum}#0-1"), [1]);
        string start = $"alike-t+exp:{MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)}";
        var nearest = Context with { WindowCentre = WindowCentre.Nearest };
        var before = Evaluate(start, pairs, nearest);
        string run = ZeroStepRun(start, nearest);
        Assert.Equal(WindowCentre.Nearest, Checkpoint.ReadState(CheckpointFolders.Resolve(run)).WindowCentre);
        // No centre named: the checkpoint's own. Naming one overrides it, and the two centres do predict differently.
        AssertSame(before, Evaluate($"ckpt:{run}", pairs));
        var attachedContext = Context with { WindowCentre = WindowCentre.Attached };
        var attached = Evaluate($"ckpt:{run}", pairs, attachedContext);
        AssertSame(Evaluate(start, pairs, attachedContext), attached);
        Assert.NotEqual(before[0].Matches.PointsB, attached[0].Matches.PointsB);
    }

    [Fact]
    public void A_run_resumes_only_with_the_window_centre_it_was_trained_with()
    {
        var spec = ModelSpec.Parse($"alike-t+exp:{MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)}");
        string run = ZeroStepRun(spec.ToString(), Context with { WindowCentre = WindowCentre.Attached });
        // No centre named: ALIKE's own, nearest.
        using var matcher = LearnedModels.CreateDifferentiable(spec, Context);
        var sequence = DataSpec.Parse($"tum:{Tum}#0-4").OpenSequence();
        var error = Assert.Throws<InvalidOperationException>(() => new TrainingLoop(matcher, LearnedModels.Architecture(spec), new TrainingOptions { Steps = 0 })
            .Run(new Trainer(sequence, new TrainerOptions()), new RunFolder(run).Start(RunMode.Resume)));
        Assert.Contains("window centre attached, not nearest", error.Message);
    }

    private static readonly MatcherContext Context = new() { Queries = "grid:48" };

    private static IReadOnlyList<PairResult> Evaluate(string spec, IReadOnlyList<EvaluationPair> pairs, MatcherContext? context = null)
    {
        var matcher = MatcherFactory.Create(spec, context ?? Context);
        try
        {
            return MatcherEvaluation.Run(matcher, pairs);
        }
        finally
        {
            (matcher as IDisposable)?.Dispose();
        }
    }

    private string ZeroStepRun(string start, MatcherContext? context = null)
    {
        var spec = ModelSpec.Parse(start);
        string run = Path.Combine(_root, $"run-{Guid.NewGuid():N}");
        using var matcher = LearnedModels.CreateDifferentiable(spec, context ?? Context);
        var sequence = DataSpec.Parse($"tum:{Tum}#0-4").OpenSequence();
        var summary = new TrainingLoop(matcher, LearnedModels.Architecture(spec), new TrainingOptions { Steps = 0 })
            .Run(new Trainer(sequence, new TrainerOptions()), new RunFolder(run).Start(RunMode.New));
        Assert.Equal(0, summary.Updates);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", Checkpoint.Name(0), "model.pth")));
        return run;
    }

    private static void AssertSame(IReadOnlyList<PairResult> expected, IReadOnlyList<PairResult> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var (a, b) = (expected[i].Matches, actual[i].Matches);
            Assert.Equal(a.Count, b.Count);
            Assert.True(a.Count > 0);
            for (int k = 0; k < a.Count; k++)
            {
                Assert.Equal(a.PointsA[k], b.PointsA[k]);
                Assert.Equal(a.PointsB[k], b.PointsB[k]);
            }
            Assert.Equal(expected[i].Metrics.Epipolar, actual[i].Metrics.Epipolar);
            Assert.Equal(expected[i].Metrics.PoseErrorDegrees, actual[i].Metrics.PoseErrorDegrees);
        }
    }
}
