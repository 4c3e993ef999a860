using IMatching.Learning.Checkpoints;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Tests.Training;

/// <summary>
/// Imperative learning through the one loop on a synthetic clip with exact correspondences and a learnable offset:
/// the real mapper and loss, a few steps, in seconds.
/// </summary>
public class ImperativeTrainingFastTests
{
    private static readonly SyntheticClip Scene = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 80, noisePx: 0.3, seed: 4);
    private static readonly Lazy<Sequence> Frames = new(() => SyntheticClipMatcher.WriteFrames(Scene, Path.Combine(TempDir(), "frames")));

    private static string TempDir() => Directory.CreateTempSubdirectory("imatching-imperative-").FullName;

    private static TrainingOptions Options(int steps) => new() { Steps = steps, LearningRate = 0.5, GradientClipNorm = null, CheckpointEvery = 1 };

    private static TrainingSummary Run(SyntheticClipMatcher matcher, TrainingOptions options, string dir, RunMode mode = RunMode.New, List<double?>? losses = null) =>
        new TrainingLoop(matcher, "bias", options).Run(new Trainer(Frames.Value, new TrainerOptions { ClipLength = 4 }), new RunFolder(dir).Start(mode),
            losses is null ? null : new Recorder(p => losses.Add(p.Loss)));

    [Fact]
    public void Imperative_learning_shrinks_the_offset_and_resumes_exactly()
    {
        var straightLosses = new List<double?>();
        using var straight = new SyntheticClipMatcher(Scene, 2.5f, -1.5f);
        var summary = Run(straight, Options(3), TempDir(), losses: straightLosses);
        float x = straight.Bias[0].item<float>(), y = straight.Bias[1].item<float>();
        Assert.Equal(3, summary.Updates);
        Assert.True(Math.Sqrt(x * x + y * y) < Math.Sqrt(2.5 * 2.5 + 1.5 * 1.5), $"offset ({x}, {y}) did not shrink");

        string dir = TempDir();
        using (var first = new SyntheticClipMatcher(Scene, 2.5f, -1.5f)) Run(first, Options(2), dir);
        var resumedLosses = new List<double?>();
        using var resumed = new SyntheticClipMatcher(Scene, 0, 0);
        Run(resumed, Options(3), dir, RunMode.Resume, resumedLosses);
        Assert.Equal(straightLosses[2]!.Value, resumedLosses.Single()!.Value, 9);
        Assert.Equal(straight.Bias[0].item<float>(), resumed.Bias[0].item<float>(), 5);
        Assert.Equal(straight.Bias[1].item<float>(), resumed.Bias[1].item<float>(), 5);
    }

    [Fact]
    public void A_NaN_spread_is_a_counted_skip()
    {
        using var matcher = new SyntheticClipMatcher(Scene, 1f, 1f) { NaNSpread = true };
        var summary = Run(matcher, Options(2), TempDir());
        Assert.Equal(0, summary.Updates);
        Assert.Equal(2, summary.Skipped[SkipReason.NonFinitePrediction]);
        Assert.Equal(1f, matcher.Bias[0].item<float>());
    }

    [Fact]
    public void An_exception_inside_mapping_is_a_counted_skip_with_its_message_until_too_many_in_a_row()
    {
        string dir = TempDir();
        using var matcher = new SyntheticClipMatcher(Scene, 1f, 1f) { BadFrameIndex = true };
        var summary = Run(matcher, Options(2), dir);
        Assert.Equal(2, summary.Skipped[SkipReason.MappingException]);
        string log = File.ReadAllText(new RunFolder(dir).SkipLog);
        Assert.Contains("mapping_exception: clip from 00", log);
        Assert.Contains("outside the clip", log);

        var error = Assert.Throws<InvalidOperationException>(() => Run(matcher, Options(5) with { MaxConsecutiveFaults = 2 }, TempDir()));
        Assert.Contains("outside the clip", error.Message);
    }

    private sealed class Recorder(Action<TrainingProgress> record) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => record(value);
    }
}
