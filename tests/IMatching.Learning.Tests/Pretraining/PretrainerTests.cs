using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Pretraining;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Synthetic;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Pretraining;

/// <summary>ALIKE-t with the expectation head, from random weights, on tiny synthetic office frames.</summary>
[Trait("Category", "Long")]
public class PretrainerTests(ITestOutputHelper output)
{
    private const string Model = "alike-t+exp";
    private static readonly Lazy<Sequence> Office = new(() =>
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("imatching-pretrain-data-").FullName, "office");
        SyntheticSequence.Render("office", 4, 128, 96, 1, folder);
        return DataSpec.Parse($"tum:{folder}").OpenSequence();
    });

    private static string TempDir() => Directory.CreateTempSubdirectory("imatching-pretrain-").FullName;

    private static TrainingOptions Options(int steps) => TrainingOptions.Pretraining with { Steps = steps, CheckpointEvery = 2, Seed = 5 };

    private static TrainingSummary Run(IDifferentiableMatcher matcher, string architecture, TrainingOptions options, string dir, RunMode mode,
        IProgress<TrainingProgress>? progress = null) =>
        new TrainingLoop(matcher, architecture, options).Run(new Pretrainer(Office.Value, new PretrainerOptions { PairsPerStep = 1 }), new RunFolder(dir).Start(mode), progress);

    private static IDifferentiableMatcher FromScratch(int seed = 3)
    {
        random.manual_seed(seed);
        return LearnedModels.CreateDifferentiable(ModelSpec.Parse(Model), new MatcherContext { Queries = "grid:8", RandomInitialization = true });
    }

    [Fact]
    public void Pretraining_lowers_the_loss_and_writes_a_checkpoint_ckpt_loads()
    {
        string dir = TempDir();
        var losses = new List<double>();
        TrainingSummary summary;
        using (var matcher = FromScratch())
        {
            summary = Run(matcher, Model, Options(30) with { CheckpointEvery = 30 }, dir, RunMode.New, new Recorder(p => losses.Add(p.Loss ?? double.NaN)));

            double early = losses.Take(10).Average(), late = losses.TakeLast(10).Average();
            output.WriteLine($"loss: first 10 steps {early:F4}, last 10 {late:F4}; {summary.Seconds:F1} s");
            Assert.True(summary.Updates == 30, $"{summary.Updates} updates");
            Assert.True(late < 0.8 * early, $"the loss went from {early:F4} to {late:F4}");

            // The checkpoint, read through the spec every command uses, is the trained network exactly.
            using var loaded = LearnedModels.CreateDifferentiable(ModelSpec.Parse($"ckpt:{dir}"), new MatcherContext { Queries = "grid:8" });
            Assert.Equal(Model, loaded.Name);
            foreach (var (trained, restored) in matcher.Parameters.Zip(loaded.Parameters))
                Assert.True(trained.allclose(restored, rtol: 0, atol: 0), "a loaded parameter differs from the trained one");
        }
        Assert.Equal(Model, Checkpoint.ReadState(CheckpointFolders.Resolve(dir)).Model);
        using var pairMatcher = (IDisposable)MatcherFactory.Create($"ckpt:{dir}", new MatcherContext { Queries = "grid:8" });
        Assert.IsType<DifferentiablePairMatcher>(pairMatcher);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "tensorboard"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Resuming_continues_from_the_saved_step_exactly()
    {
        // libtorch's multi-threaded reductions sum in a varying order; exact repetition is a one-thread property.
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            ResumeMatchesTheUninterruptedRun();
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private void ResumeMatchesTheUninterruptedRun()
    {
        using var straight = FromScratch();
        // The interrupted run starts from a copy, not from the same seed: tests in other classes draw from the global
        // generator concurrently, so two seeded constructions need not agree.
        var start = straight.Network.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.clone());
        Run(straight, Model, Options(4), TempDir(), RunMode.New);

        string dir = TempDir();
        using (var first = FromScratch(seed: 42))
        {
            first.Network.load_state_dict(start);
            Run(first, Model, Options(2), dir, RunMode.New);
        }
        foreach (var tensor in start.Values)
            tensor.Dispose();
        // Different random weights: everything must come from the checkpoint.
        using var resumed = FromScratch(seed: 99);
        var summary = Run(resumed, Model, Options(4), dir, RunMode.Resume);

        Assert.Equal(3, summary.FirstStep);
        Assert.Equal(2, summary.Updates);
        foreach (var (a, b) in straight.Parameters.Zip(resumed.Parameters))
            Assert.True(a.allclose(b, rtol: 1e-4, atol: 1e-6), "the resumed run diverged from the uninterrupted one");
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", Checkpoint.Name(4), "model.pth")));
    }

    [Fact]
    public void Resuming_with_another_architecture_is_refused()
    {
        string dir = TempDir();
        using (var first = FromScratch())
            Run(first, Model, Options(1), dir, RunMode.New);
        using var other = FromScratch();
        var error = Assert.Throws<InvalidOperationException>(() => Run(other, "alike-s+exp", Options(2), dir, RunMode.Resume));
        Assert.Contains("alike-t+exp", error.Message);
    }

    private sealed class Recorder(Action<TrainingProgress> record) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => record(value);
    }
}
