using System.Diagnostics;
using IMatching.Learning.Matching;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// The bookkeeping every training loop shares (imperative learning and homography pretraining): the optimiser,
/// resuming from the latest checkpoint, skip counts, guarded updates, validation with the best checkpoint, and
/// checkpoints at the configured interval. The loops own only what a step computes.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly IDifferentiableMatcher _matcher;
    private readonly string _modelSpec;
    private readonly int _seed;
    private readonly TrainingCheckpoint _checkpoints;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, int> _skipped = [];
    private double _elapsedBefore;
    private double? _bestMetric, _lastLoss;
    private int? _bestStep;
    private int _updates;
    private string? _lastCheckpoint;

    public TrainingSession(IDifferentiableMatcher matcher, string modelSpec, int seed, double learningRate, string outputDirectory, bool resume)
    {
        _matcher = matcher;
        _modelSpec = modelSpec;
        _seed = seed;
        Directory.CreateDirectory(outputDirectory);
        _checkpoints = new TrainingCheckpoint(outputDirectory);
        Optimizer = optim.Adam(matcher.Network.parameters(), learningRate);
        if (resume && _checkpoints.Latest() is { } latest)
        {
            var state = TrainingCheckpoint.Load(latest, matcher.Network, Optimizer);
            if (state.Model != modelSpec)
                throw new InvalidOperationException($"{latest} was trained as '{state.Model}', not '{modelSpec}': resume with the same --model.");
            // The data order is a function of the seed: another seed would not continue the same run.
            if (state.Seed != seed)
                throw new InvalidOperationException($"{latest} was trained with seed {state.Seed}, not {seed}: resume with the same --seed.");
            FirstStep = state.Step + 1;
            foreach (var (reason, count) in state.Skipped) _skipped[reason] = count;
            (_bestMetric, _bestStep, _elapsedBefore) = (state.BestMetric, state.BestStep, state.ElapsedSeconds);
        }
    }

    public OptimizerHelper Optimizer { get; }
    public int FirstStep { get; } = 1;
    public IReadOnlyDictionary<string, int> Skipped => _skipped;

    public void CountSkip(string reason) => _skipped[reason] = _skipped.GetValueOrDefault(reason) + 1;

    /// <summary>
    /// Applies the accumulated gradients unless one is not finite (then they are dropped and counted);
    /// returns the reason the update was refused, or null.
    /// </summary>
    public string? Update(double? gradientClipNorm, double loss)
    {
        if (!GradientsAreFinite())
        {
            Optimizer.zero_grad();
            CountSkip("non_finite_gradient");
            return "non_finite_gradient";
        }
        if (gradientClipNorm is { } maxNorm) nn.utils.clip_grad_norm_(_matcher.Network.parameters(), maxNorm);
        Optimizer.step();
        _updates++;
        _lastLoss = loss;
        return null;
    }

    /// <summary>Validates when due (every <paramref name="validateEvery"/> steps and at the last), then checkpoints when due or improved.</summary>
    public double? EndStep(int step, int lastStep, Func<IDifferentiableMatcher, double>? validate, int validateEvery, int checkpointEvery, int keep)
    {
        double? metric = null;
        if (validate is not null && (step % validateEvery == 0 || step == lastStep))
        {
            _matcher.Train(false);
            metric = validate(_matcher);
        }
        bool improved = metric is { } m && (_bestMetric is null || m > _bestMetric);
        if (improved) (_bestMetric, _bestStep) = (metric, step);
        if (step % checkpointEvery == 0 || step == lastStep || improved)
        {
            var state = new TrainingState(step, _seed, _modelSpec, new(_skipped), _bestMetric, _bestStep, Seconds);
            _lastCheckpoint = _checkpoints.Save(_matcher.Network, Optimizer, state, keep);
            if (improved) _checkpoints.MarkBest(_lastCheckpoint);
        }
        return metric;
    }

    public TrainingSummary Summary(int lastStep) =>
        new(FirstStep, lastStep, _updates, _skipped, _lastLoss, _bestMetric, _bestStep, Seconds, _lastCheckpoint);

    public static bool PredictionsAreFinite(IEnumerable<PairPredictions> predictions) =>
        predictions.All(p => p.Fine.isfinite().all().item<bool>() && p.Coarse.isfinite().all().item<bool>());

    private double Seconds => _elapsedBefore + _clock.Elapsed.TotalSeconds;

    private bool GradientsAreFinite()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _matcher.Network.parameters())
            if (p.grad is { } g && !g.isfinite().all().item<bool>()) return false;
        return true;
    }

    public void Dispose() => Optimizer.Dispose();
}
