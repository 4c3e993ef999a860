using IMatching.Learning.Training;

namespace IMatching.Cli.Reports;

/// <summary>Collects a training run's loss and validation scores from its progress reports, for <see cref="HtmlReport"/>.</summary>
public sealed class TrainingCurves
{
    private readonly List<(int Step, double Loss)> _losses = [];
    private readonly List<(int Step, double Value)> _validation = [];

    public IReadOnlyList<(int Step, double Loss)> Losses => _losses;
    public IReadOnlyList<(int Step, double Value)> Validation => _validation;

    public void Add(TrainingProgress progress)
    {
        if (progress.Loss is { } loss) _losses.Add((progress.Step, loss));
        if (progress.ValidationMetric is { } value) _validation.Add((progress.Step, value));
    }
}
