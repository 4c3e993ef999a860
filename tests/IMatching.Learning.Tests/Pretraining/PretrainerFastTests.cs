using IMatching.Learning.Checkpoints;
using IMatching.Learning.Models;
using IMatching.Learning.Pretraining;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Synthetic;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Pretraining;

/// <summary>Homography pretraining through the one loop: ALIKE-t from random weights on two 64x48 frames, two steps.</summary>
public class PretrainerFastTests
{
    private const string Model = "alike-t+exp";

    [Fact]
    public void Two_steps_update_the_network_and_write_a_checkpoint_ckpt_loads()
    {
        string root = Directory.CreateTempSubdirectory("imatching-pretrain-fast-").FullName;
        SyntheticSequence.Render("office", 2, 64, 48, 1, Path.Combine(root, "office"));
        var frames = DataSpec.Parse($"tum:{Path.Combine(root, "office")}").OpenSequence();
        random.manual_seed(1);
        var context = new MatcherContext { Queries = "grid:8", RandomInitialization = true };
        using var matcher = LearnedModels.CreateDifferentiable(ModelSpec.Parse(Model), context);
        using var start = matcher.Parameters[0].clone();
        var steps = new List<TrainingProgress>();

        var summary = new TrainingLoop(matcher, Model, TrainingOptions.Pretraining with { Steps = 2 })
            .Run(new Pretrainer(frames, new PretrainerOptions { PairsPerStep = 1 }), new RunFolder(Path.Combine(root, "run")).Start(RunMode.New),
                new Recorder(steps.Add));

        // A step may be refused (a non-finite gradient) but never silently: every step either updated or says why not.
        Assert.True(summary.Updates >= 1, $"no update: {string.Join(", ", summary.Skipped)}");
        Assert.All(steps, p => Assert.True(p.Loss is > 0 || p.LastSkip is not null, $"step {p.Step}: loss {p.Loss}, no skip reason"));
        Assert.All(steps.Where(p => p.Loss is not null), p => Assert.True(p.Value(Pretrainer.Targets) > 0, "a step learnt from no target"));
        Assert.False(start.allclose(matcher.Parameters[0], rtol: 0, atol: 0), "the weights did not move");
        using var loaded = LearnedModels.CreateDifferentiable(ModelSpec.Parse($"ckpt:{Path.Combine(root, "run")}"), context with { RandomInitialization = false });
        Assert.Equal(Model, loaded.Name);
        foreach (var (trained, restored) in matcher.Parameters.Zip(loaded.Parameters))
            Assert.True(trained.allclose(restored, rtol: 0, atol: 0), "a loaded parameter differs from the trained one");
    }

    private sealed class Recorder(Action<TrainingProgress> record) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => record(value);
    }
}
