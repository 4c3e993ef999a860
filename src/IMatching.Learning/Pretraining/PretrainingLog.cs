using static TorchSharp.torch;

namespace IMatching.Learning.Pretraining;

/// <summary>TensorBoard event files of a pretraining run: loss, training and held-out accuracy, skips per reason, learning rate.</summary>
internal sealed class PretrainingLog(string directory)
{
    private readonly TorchSharp.Modules.SummaryWriter _writer = utils.tensorboard.SummaryWriter(directory, createRunName: false);

    public void Write(PretrainingProgress p, IReadOnlyDictionary<string, int> skipped, double learningRate)
    {
        if (p.Loss is { } loss) _writer.add_scalar("pretrain/loss", (float)loss, p.Step);
        if (p.WithinThreePx is { } within) _writer.add_scalar("pretrain/train_mma3", (float)within, p.Step);
        _writer.add_scalar("pretrain/targets", p.Targets, p.Step);
        _writer.add_scalar("pretrain/step_seconds", (float)p.StepSeconds, p.Step);
        _writer.add_scalar("pretrain/learning_rate", (float)learningRate, p.Step);
        foreach (var (reason, count) in skipped) _writer.add_scalar($"skipped/{reason}", count, p.Step);
        if (p.ValidationMetric is { } metric) _writer.add_scalar("validation/mma3", (float)metric, p.Step);
    }
}
