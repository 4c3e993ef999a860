using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// The run's logs, written as steps come: TensorBoard scalars (<c>PREFIX/loss</c>, the strategy's metrics,
/// <c>PREFIX/learning_rate</c>, <c>PREFIX/step_seconds</c>, <c>skipped/REASON</c> counts, <c>validation/METRIC</c>)
/// and a text line per skipped sample with its detail.
/// </summary>
internal sealed class TrainingLog(string tensorBoardDirectory, string skipLog, string prefix, string validationMetric)
{
    private readonly SummaryWriter _writer = utils.tensorboard.SummaryWriter(tensorBoardDirectory, createRunName: false);

    public void Write(TrainingProgress p, IReadOnlyDictionary<SkipReason, int> skipped, double learningRate)
    {
        if (p.Loss is { } loss) _writer.add_scalar($"{prefix}/loss", (float)loss, p.Step);
        foreach (var m in p.Measurements) _writer.add_scalar($"{prefix}/{m.Metric.Tag}", (float)m.Value, p.Step);
        _writer.add_scalar($"{prefix}/learning_rate", (float)learningRate, p.Step);
        _writer.add_scalar($"{prefix}/step_seconds", (float)p.Timings.Step, p.Step);
        foreach (var (reason, count) in skipped) _writer.add_scalar($"skipped/{reason.Name}", count, p.Step);
        if (p.ValidationMetric is { } metric) _writer.add_scalar($"validation/{validationMetric}", (float)metric, p.Step);
    }

    public void Skip(SampleIndex sample, SkipReason reason, string? detail) =>
        File.AppendAllText(skipLog, string.Create(CultureInfo.InvariantCulture, $"step {sample.Step} sample {sample.Slot}: {reason.Name}{(detail is null ? "" : ": " + detail)}\n"));
}
