using System.Diagnostics;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using TorchSharp.Modules;

namespace IMatching.Learning.Training;

/// <summary>
/// Where a run stands across steps and resumes: the first step, skip counts, updates, the best validation score
/// and the time spent, restored from a checkpoint and written into each new one.
/// </summary>
internal sealed class RunState(int seed, string architecture, WindowCentre? windowCentre)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<SkipReason, int> _skipped = [];
    private double _elapsedBefore;
    private double? _bestMetric, _lastLoss;
    private int? _bestStep;
    private int _updates;
    private string? _lastCheckpoint;

    public int FirstStep { get; private set; } = 1;
    public IReadOnlyDictionary<SkipReason, int> Skipped => _skipped;

    public void Restore(string checkpoint, IDifferentiableMatcher matcher, OptimizerHelper optimizer)
    {
        var state = Checkpoint.Load(checkpoint, matcher.Network, optimizer);
        if (state.Model != architecture)
            throw new InvalidOperationException($"{checkpoint} was trained as '{state.Model}', not '{architecture}': resume with the same --model.");
        // The data order is a function of the seed: another seed would not continue the same run.
        if (state.Seed != seed)
            throw new InvalidOperationException($"{checkpoint} was trained with seed {state.Seed}, not {seed}: resume with the same --seed.");
        WindowCentre? trained = windowCentre is null ? state.WindowCentre : state.TrainedWindowCentre;
        if (trained != windowCentre)
            throw new InvalidOperationException($"{checkpoint} was trained with window centre {Describe(trained)}, not {Describe(windowCentre)}: resume with the same --window-centre.");
        FirstStep = state.Step + 1;
        foreach (var (reason, count) in state.Skipped) _skipped[SkipReason.Parse(reason)] = count;
        (_bestMetric, _bestStep, _elapsedBefore) = (state.BestMetric, state.BestStep, state.ElapsedSeconds);
    }

    public void CountSkip(SkipReason reason) => _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;

    public void Updated(double? loss)
    {
        _updates++;
        _lastLoss = loss;
    }

    /// <summary>Validates when due (every ValidateEvery steps and at the last), then checkpoints when due or improved.</summary>
    public double? EndStep(int step, TrainingOptions options, Validator? validation, IDifferentiableMatcher matcher, OptimizerHelper optimizer, RunFolder folder)
    {
        double? metric = null;
        if (validation is not null && (step % options.ValidateEvery == 0 || step == options.Steps))
        {
            matcher.Train(false);
            metric = validation.Score(matcher);
        }
        bool improved = metric is { } m && (_bestMetric is null || m > _bestMetric);
        if (improved) (_bestMetric, _bestStep) = (metric, step);
        if (step % options.CheckpointEvery == 0 || step == options.Steps || improved)
        {
            var skipped = _skipped.ToDictionary(s => s.Key.Name, s => s.Value);
            var state = new TrainingState(step, seed, architecture, skipped, _bestMetric, _bestStep, Seconds, windowCentre);
            _lastCheckpoint = folder.Save(matcher.Network, optimizer, state, options.KeepCheckpoints);
            if (improved) folder.MarkBest(_lastCheckpoint);
        }
        return metric;
    }

    public TrainingSummary Summary(int lastStep) =>
        new(FirstStep, lastStep, _updates, _skipped, _lastLoss, _bestMetric, _bestStep, Seconds, _lastCheckpoint);

    private static string Describe(WindowCentre? centre) => centre is { } c ? WindowCentres.Name(c) : "none (no expectation head)";

    private double Seconds => _elapsedBefore + _clock.Elapsed.TotalSeconds;
}
