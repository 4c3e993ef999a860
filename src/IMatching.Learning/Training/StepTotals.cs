namespace IMatching.Learning.Training;

/// <summary>One step's samples added up: the mean loss and metrics of those used, skips, and where the time went.</summary>
internal sealed class StepTotals
{
    private readonly Dictionary<TrainingMetric, (double Sum, int Count)> _metrics = [];
    private double _loss;
    private int _skipped;
    private bool _refused;
    private SkipReason? _lastSkip;
    private string? _lastDetail;

    public int Used { get; private set; }
    public double Forward, Targets, Backward, Optimizer;

    public double? MeanLoss => Used > 0 && !_refused ? _loss / Used : null;

    public void Use(double loss, IReadOnlyList<Measurement> measurements)
    {
        Used++;
        _loss += loss;
        foreach (var m in measurements)
        {
            var (sum, count) = _metrics.GetValueOrDefault(m.Metric);
            _metrics[m.Metric] = (sum + m.Value, count + 1);
        }
    }

    public void Skip(SkipReason reason, string? detail)
    {
        _skipped++;
        (_lastSkip, _lastDetail) = (reason, detail);
    }

    /// <summary>The samples were fine but their summed gradient was not: nothing of this step reached the weights.</summary>
    public void RefuseUpdate(SkipReason reason)
    {
        _refused = true;
        (_lastSkip, _lastDetail) = (reason, null);
    }

    public TrainingProgress Report(int step, int totalSteps, double? validationMetric, double stepSeconds)
    {
        var measurements = _metrics
            .Select(m => new Measurement(m.Key, m.Key.Aggregation == MetricAggregation.Sum ? m.Value.Sum : m.Value.Sum / m.Value.Count))
            .ToList();
        return new TrainingProgress(step, totalSteps, MeanLoss, measurements, _refused ? 0 : Used, _skipped, _lastSkip, _lastDetail, validationMetric,
            new StepTimings(Forward, Targets, Backward, Optimizer, stepSeconds));
    }
}
