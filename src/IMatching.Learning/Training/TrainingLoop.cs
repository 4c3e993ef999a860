using System.Diagnostics;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// The one training loop. Each step asks the strategy for <see cref="TrainingOptions.AccumulationSteps"/> samples,
/// back-propagates each usable loss, averages the gradients over the samples used, and applies them with Adam
/// unless one is not finite; then validates and checkpoints when due. A skipped sample is counted by reason and
/// never becomes a silent zero loss; a run stops only when too many samples in a row fail with an exception.
/// </summary>
public sealed class TrainingLoop(IDifferentiableMatcher matcher, string architecture, TrainingOptions options)
{
    /// <summary>Scores the matcher on held-out data every <see cref="TrainingOptions.ValidateEvery"/> steps and at the end.</summary>
    public Validator? Validation { get; init; }

    /// <summary>Told about events a user should see beside the progress (a sample that failed with an exception).</summary>
    public Action<string>? Notice { get; init; }

    /// <param name="start">The run folder, readied by <see cref="RunFolder.Start"/> before any costly work.</param>
    public TrainingSummary Run(ITrainingStep strategy, RunStart start, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        strategy.Check(options);
        var (folder, resumeFrom) = start;
        using var optimizer = new OwnedScalarAdam(matcher.Network.parameters(), options.LearningRate);
        // An expectation head's window centre is part of what a checkpoint rebuilds.
        var run = new RunState(options.Seed, architecture, (matcher as ExpectationMatcher)?.Options.WindowCentre);
        if (resumeFrom is not null) run.Restore(resumeFrom, matcher, optimizer);
        var log = new TrainingLog(folder.TensorBoardDirectory, folder.SkipLog, strategy.LogPrefix, Validation?.Metric ?? "metric");
        try
        {
            int consecutiveFaults = 0;
            if (options.Steps == 0 && run.FirstStep == 1) run.EndStep(0, options, Validation, matcher, optimizer, folder);
            for (int step = run.FirstStep; step <= options.Steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                var stepClock = Stopwatch.StartNew();
                matcher.Train(strategy.LearnsBatchStatistics);
                optimizer.zero_grad();
                var totals = new StepTotals();
                for (int slot = 0; slot < options.AccumulationSteps; slot++)
                {
                    var sample = new SampleIndex(step, slot, options.AccumulationSteps, options.Seed);
                    var (skip, detail) = TrainOn(strategy, sample, totals);
                    consecutiveFaults = skip is { IsFault: true } ? consecutiveFaults + 1 : 0;
                    if (skip is null) continue;
                    run.CountSkip(skip);
                    totals.Skip(skip, detail);
                    log.Skip(sample, skip, detail);
                    if (skip.IsFault) Notice?.Invoke($"step {step}: {skip.Name}: {detail}");
                    if (consecutiveFaults >= options.MaxConsecutiveFaults)
                        throw new InvalidOperationException($"Stopped after {consecutiveFaults} samples in a row failed ({skip.Name}); the last at step {step}: {detail}");
                }
                if (totals.Used > 0)
                {
                    var clock = Stopwatch.StartNew();
                    if (Update(optimizer, totals.Used) is { } refused)
                    {
                        run.CountSkip(refused);
                        totals.RefuseUpdate(refused);
                    }
                    else run.Updated(totals.MeanLoss);
                    totals.Optimizer += clock.Elapsed.TotalSeconds;
                }

                double? metric = run.EndStep(step, options, Validation, matcher, optimizer, folder);
                var report = totals.Report(step, options.Steps, metric, stepClock.Elapsed.TotalSeconds);
                log.Write(report, run.Skipped, options.LearningRate);
                progress?.Report(report);
            }
        }
        finally
        {
            // Whatever happens next (evaluation, saving) expects inference mode; training switches it on per step.
            matcher.Train(false);
        }
        return run.Summary(options.Steps);
    }

    /// <summary>Forward, targets, loss and backward of one sample inside its own dispose scope; the skip when it taught nothing.</summary>
    private (SkipReason? Skip, string? Detail) TrainOn(ITrainingStep strategy, SampleIndex sample, StepTotals totals)
    {
        using var scope = NewDisposeScope();
        var outcome = strategy.Compute(matcher, sample);
        totals.Forward += outcome.ForwardSeconds;
        totals.Targets += outcome.TargetSeconds;
        if (outcome.Skip is { } skip) return (skip, outcome.Detail);
        var loss = outcome.Loss!;
        double value = loss.to_type(ScalarType.Float64).item<double>();
        if (!double.IsFinite(value)) return (SkipReason.NonFiniteLoss, null);
        var clock = Stopwatch.StartNew();
        // An exception in a custom function's backward pass arrives here (Backward), not as the end of the process.
        Backward.Run(loss);
        totals.Backward += clock.Elapsed.TotalSeconds;
        totals.Use(value, outcome.Measurements);
        return (null, null);
    }

    /// <summary>
    /// Averages the summed gradients over the samples used and applies them unless one is not finite (then they are
    /// dropped); returns the reason the update was refused, or null.
    /// </summary>
    private SkipReason? Update(OwnedScalarAdam optimizer, int used)
    {
        var parameters = matcher.Network.parameters().ToList();
        if (!GradientsAreFinite(parameters))
        {
            optimizer.zero_grad();
            return SkipReason.NonFiniteGradient;
        }
        if (used > 1)
        {
            using var divisor = ((double)used).ToScalar();
            using (no_grad())
                foreach (var p in parameters)
                    p.grad?.div_(divisor);
        }
        if (options.GradientClipNorm is { } maxNorm) nn.utils.clip_grad_norm_(parameters, maxNorm);
        optimizer.step();
        return null;
    }

    private static bool GradientsAreFinite(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        foreach (var p in parameters)
            if (p.grad is { } g && !g.isfinite().all().item<bool>()) return false;
        return true;
    }
}
