using System.Globalization;
using IMatching.Learning.Pretraining;
using IMatching.Learning.Training;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary>Shows each pretraining step on a Spectre progress bar, on the reporting thread (as <see cref="ProgressTaskReporter"/>).</summary>
internal sealed class PretrainProgressReporter(ProgressTask task) : IProgress<TrainingProgress>
{
    // Validation runs every few steps; the bar keeps showing the last result in between.
    private double? _heldOut;

    public void Report(TrainingProgress p)
    {
        var c = CultureInfo.InvariantCulture;
        _heldOut = p.ValidationMetric ?? _heldOut;
        string loss = p.Loss is { } l ? l.ToString("F4", c) : p.LastSkip?.Name ?? "-";
        string validated = _heldOut is { } v ? string.Create(c, $", held-out MMA@3px {v:F3}") : "";
        task.Description = string.Create(c, $"step {p.Step}/{p.TotalSteps}: loss {loss}, train MMA@3px {p.Value(Pretrainer.WithinThreePx) ?? 0:F2}{validated}");
        task.MaxValue = p.TotalSteps;
        task.Value = p.Step;
    }
}
