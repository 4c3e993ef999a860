using IMatching.Learning.Checkpoints;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using Xunit.Abstractions;

namespace IMatching.Learning.Tests.Training;

/// <summary>The trainer end to end on real TUM frames with a one-parameter stand-in network.</summary>
[Trait("Category", "Long")]
public class TrainerTests(ITestOutputHelper output)
{
    private static Sequence Tum() => DataSpec.Parse($"tum:{Path.Combine(RepoPaths.Shared, "data", "tum_fr2_desk")}#0-9").OpenSequence();

    private static string TempDir() => Directory.CreateTempSubdirectory("imatching-train-").FullName;

    private static TrainingOptions Options(int steps) => new() { Steps = steps, LearningRate = 0.5, GradientClipNorm = null, CheckpointEvery = 2 };

    private static TrainingSummary Run(BiasedMatcher matcher, Sequence sequence, int steps, string dir, RunMode mode = RunMode.New) =>
        new TrainingLoop(matcher, "biased", Options(steps)).Run(new Trainer(sequence, new TrainerOptions { ClipLength = 4 }), new RunFolder(dir).Start(mode));

    [Fact]
    public void ImperativeLearningRemovesABiasFromThePredictions()
    {
        var sequence = Tum();
        using var matcher = new BiasedMatcher(sequence.Frames.Select(f => f.ImagePath), 2.5f, -1.5f);
        var summary = Run(matcher, sequence, 12, TempDir());
        float x = matcher.Bias[0].item<float>(), y = matcher.Bias[1].item<float>();
        output.WriteLine($"bias after {summary.Updates} updates: ({x:F3}, {y:F3}); skipped {string.Join(", ", summary.Skipped)}; last loss {summary.LastLoss}");
        Assert.True(Math.Sqrt(x * x + y * y) < 0.5 * Math.Sqrt(2.5 * 2.5 + 1.5 * 1.5), $"bias ({x}, {y}) did not shrink");
        Assert.True(summary.Updates >= 6, $"only {summary.Updates} updates");
    }

    [Fact]
    public void ResumingFromACheckpointContinuesExactly()
    {
        var sequence = Tum();
        var paths = sequence.Frames.Select(f => f.ImagePath).ToList();
        using var straight = new BiasedMatcher(paths, 2.5f, -1.5f);
        Run(straight, sequence, 4, TempDir());

        string dir = TempDir();
        using (var first = new BiasedMatcher(paths, 2.5f, -1.5f))
            Run(first, sequence, 2, dir);
        using var resumed = new BiasedMatcher(paths, 0, 0);
        var summary = Run(resumed, sequence, 4, dir, RunMode.Resume);

        Assert.Equal(3, summary.FirstStep);
        Assert.Equal(straight.Bias[0].item<float>(), resumed.Bias[0].item<float>(), 5);
        Assert.Equal(straight.Bias[1].item<float>(), resumed.Bias[1].item<float>(), 5);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", Checkpoint.Name(4), "model.pth")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "tensorboard"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void NonFinitePredictionsAreSkippedAndNeverReachTheWeights()
    {
        var sequence = Tum();
        using var matcher = new BiasedMatcher(sequence.Frames.Select(f => f.ImagePath), 1f, 1f) { ProduceNaN = true };
        var summary = Run(matcher, sequence, 2, TempDir());
        Assert.Equal(0, summary.Updates);
        Assert.Equal(2, summary.Skipped[SkipReason.NonFinitePrediction]);
        Assert.Equal(1f, matcher.Bias[0].item<float>());
    }
}
