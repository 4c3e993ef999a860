using IMatching.Learning.Checkpoints;
using IMatching.Learning.Training;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Tests.Training;

/// <summary>The one training loop on a one-parameter network with scripted samples: fast, no data, no mapping.</summary>
public class TrainingLoopTests
{
    private static readonly SyntheticClip Clip = SyntheticClip.Generate(frames: 3, correspondencesPerPair: 4);

    private static SyntheticClipMatcher Matcher() => new(Clip, 2.5f, -1.5f);

    private static string TempDir() => Directory.CreateTempSubdirectory("imatching-loop-").FullName;

    private static TrainingOptions Options(int steps) => new() { Steps = steps, LearningRate = 0.1, CheckpointEvery = 1, Seed = 3 };

    private static (TrainingSummary Summary, List<TrainingProgress> Steps) Run(SyntheticClipMatcher matcher, TrainingOptions options, Func<SampleIndex, Script> script,
        string? dir = null, RunMode mode = RunMode.New)
    {
        var steps = new List<TrainingProgress>();
        var summary = new TrainingLoop(matcher, "bias", options).Run(new ScriptedStep(script), new RunFolder(dir ?? TempDir()).Start(mode), new Recorder(steps.Add));
        return (summary, steps);
    }

    private static float[] Weights(SyntheticClipMatcher m) => m.Bias.data<float>().ToArray();

    [Fact]
    public void Resuming_repeats_the_uninterrupted_run_exactly()
    {
        using var straight = Matcher();
        var (_, all) = Run(straight, Options(4), _ => Script.Learn);

        string dir = TempDir();
        using (var first = Matcher()) Run(first, Options(2), _ => Script.Learn, dir);
        using var resumed = new SyntheticClipMatcher(Clip, 0, 0);
        var (summary, rest) = Run(resumed, Options(4), _ => Script.Learn, dir, RunMode.Resume);

        Assert.Equal(3, summary.FirstStep);
        Assert.Equal(2, summary.Updates);
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.Equal(all.Skip(2).Select(p => p.Loss), rest.Select(p => p.Loss));
        Assert.True(all[3].Loss < all[0].Loss, "the loss did not fall");
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", Checkpoint.Name(4), Checkpoint.ModelFile)));
    }

    [Fact]
    public void The_update_averages_the_gradients_of_the_samples_used()
    {
        // Adam's first step is proportional to the gradient while |g| is far below its epsilon: the weights show the scale.
        using var single = Matcher();
        Run(single, Options(1), _ => Script.Linear);
        using var bothUsed = Matcher();
        Run(bothUsed, Options(1) with { AccumulationSteps = 2 }, _ => Script.Linear);
        using var oneSkipped = Matcher();
        var (summary, steps) = Run(oneSkipped, Options(1) with { AccumulationSteps = 2 }, s => s.Slot == 1 ? Script.Skip : Script.Linear);

        Assert.NotEqual(new[] { 2.5f, -1.5f }, Weights(single));
        Assert.Equal(Weights(single), Weights(bothUsed));
        Assert.Equal(Weights(single), Weights(oneSkipped));
        Assert.Equal(1, steps[0].UsedSamples);
        Assert.Equal(1, steps[0].SkippedSamples);
        Assert.Equal(1, steps[0].Value(ScriptedStep.Samples));
        Assert.Equal(1, summary.Skipped[SkipReason.NoTargets]);
    }

    [Fact]
    public void Skipped_samples_are_counted_by_reason_logged_and_never_reach_the_weights()
    {
        string dir = TempDir();
        using var matcher = Matcher();
        var script = new[] { Script.NaNLoss, Script.NaNGradient, Script.Skip };
        var (summary, steps) = Run(matcher, Options(3), s => script[s.Step - 1], dir);

        Assert.Equal(0, summary.Updates);
        Assert.Equal(new[] { 2.5f, -1.5f }, Weights(matcher));
        Assert.Equal(1, summary.Skipped[SkipReason.NonFiniteLoss]);
        Assert.Equal(1, summary.Skipped[SkipReason.NonFiniteGradient]);
        Assert.Equal(1, summary.Skipped[SkipReason.NoTargets]);
        Assert.All(steps, p => Assert.Null(p.Loss));
        Assert.Equal(SkipReason.NonFiniteGradient, steps[1].LastSkip);
        Assert.Contains("step 3 sample 0: no_targets: scripted skip", File.ReadAllText(new RunFolder(dir).SkipLog));
        // The counts travel with the checkpoint under their on-disk names.
        var state = Checkpoint.ReadState(new RunFolder(dir).Latest()!);
        Assert.Equal(1, state.Skipped["non_finite_gradient"]);
    }

    [Fact]
    public void Faults_are_skips_until_too_many_come_in_a_row()
    {
        var notices = new List<string>();
        using var matcher = Matcher();
        // Two faults, then a sample that learns: the run goes on.
        var summary = new TrainingLoop(matcher, "bias", Options(4)) { Notice = notices.Add }
            .Run(new ScriptedStep(s => s.Step <= 2 ? Script.Fault : Script.Learn), new RunFolder(TempDir()).Start(RunMode.New));
        Assert.Equal(2, summary.Skipped[SkipReason.MappingException]);
        Assert.Equal(2, summary.Updates);
        Assert.Contains(notices, n => n.Contains("scripted fault at draw 1"));

        using var broken = Matcher();
        var error = Assert.Throws<InvalidOperationException>(() =>
            Run(broken, Options(10) with { MaxConsecutiveFaults = 3 }, _ => Script.Fault));
        Assert.Contains("after 3 samples in a row failed (mapping_exception)", error.Message);
        Assert.Contains("scripted fault at draw 2", error.Message);
    }

    [Fact]
    public void Skip_reasons_keep_their_on_disk_names()
    {
        Assert.Equal("mapping_insufficientparallax", SkipReason.Mapping(MappingFailureReason.InsufficientParallax).Name);
        Assert.Equal(SkipReason.Mapping(MappingFailureReason.TooFewMatches), SkipReason.Parse("mapping_toofewmatches"));
        Assert.Same(SkipReason.NonFinitePrediction, SkipReason.Parse("non_finite_prediction"));
        Assert.Throws<InvalidDataException>(() => SkipReason.Parse("bored"));
    }

    private sealed class Recorder(Action<TrainingProgress> record) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => record(value);
    }
}
