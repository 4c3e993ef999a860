using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>TensorBoard event files of a run: loss, inliers, BA cost, skips per reason, validation, learning rate (written as they come).</summary>
public sealed class TrainingLog(string directory)
{
    private readonly SummaryWriter _writer = utils.tensorboard.SummaryWriter(directory, createRunName: false);

    public void Write(TrainingProgress p, IReadOnlyDictionary<string, int> skipped, double learningRate)
    {
        if (p.Loss is { } loss) _writer.add_scalar("train/loss", (float)loss, p.Step);
        _writer.add_scalar("train/observations", p.Observations, p.Step);
        _writer.add_scalar("train/inlier_ratio", (float)p.InlierRatio, p.Step);
        _writer.add_scalar("train/ba_cost", (float)p.BaCost, p.Step);
        _writer.add_scalar("train/learning_rate", (float)learningRate, p.Step);
        foreach (var (reason, count) in skipped) _writer.add_scalar($"skipped/{reason}", count, p.Step);
        if (p.ValidationMetric is { } metric) _writer.add_scalar("validation/metric", (float)metric, p.Step);
    }
}
