using System.Diagnostics;
using IMatching.Learning.Matching;
using IMatching.Vision.Datasets;
using IMatching.Vision.Mapping;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// Imperative learning: the matcher predicts matches over a clip, the robust mapper solves bundle
/// adjustment on detached copies, and the BA's own cost of the surviving predictions — poses and
/// landmarks held constant — trains the matcher. A clip that cannot be mapped is skipped with its reason
/// counted, never turned into a silent zero loss; a non-finite loss or gradient never reaches the weights.
/// </summary>
public sealed class Trainer(IDifferentiableMatcher matcher, string modelSpec, Sequence data, TrainerOptions options)
{
    /// <summary>Scores the matcher on held-out data (higher is better); called every ValidateEvery steps and at the end.</summary>
    public Func<IDifferentiableMatcher, double>? Validate { get; init; }

    public TrainingSummary Run(string outputDirectory, bool resume, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        Directory.CreateDirectory(outputDirectory);
        var schedule = new ClipSchedule(data, options);
        var pairs = options.ClipPairs();
        var checkpoints = new TrainingCheckpoint(outputDirectory);
        using var optimizer = optim.Adam(matcher.Network.parameters(), options.LearningRate);
        var skipped = new Dictionary<string, int>();
        int firstStep = 1, updates = 0;
        double? bestMetric = null, lastLoss = null;
        int? bestStep = null;
        double elapsedBefore = 0;
        if (resume && checkpoints.Latest() is { } latest)
        {
            var state = TrainingCheckpoint.Load(latest, matcher.Network, optimizer);
            if (state.Model != modelSpec)
                throw new InvalidOperationException($"{latest} was trained as '{state.Model}', not '{modelSpec}': resume with the same --model.");
            firstStep = state.Step + 1;
            foreach (var (reason, count) in state.Skipped) skipped[reason] = count;
            (bestMetric, bestStep, elapsedBefore) = (state.BestMetric, state.BestStep, state.ElapsedSeconds);
        }

        var log = new TrainingLog(Path.Combine(outputDirectory, "tensorboard"));
        var clock = Stopwatch.StartNew();
        string? lastCheckpoint = null;
        for (int step = firstStep; step <= options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            matcher.Train(!options.FreezeBatchNorm);
            optimizer.zero_grad();
            var stats = new StepStats();
            for (int slot = 0; slot < options.AccumulationSteps; slot++)
            {
                var clip = schedule[(long)(step - 1) * options.AccumulationSteps + slot];
                string? reason = TrainOnClip(clip, pairs, stats);
                if (reason is not null)
                {
                    skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
                    stats.LastSkip = reason;
                    stats.SkippedClips++;
                }
            }
            if (stats.Clips > 0 && !GradientsAreFinite())
            {
                optimizer.zero_grad();
                skipped["non_finite_gradient"] = skipped.GetValueOrDefault("non_finite_gradient") + 1;
                stats.LastSkip = "non_finite_gradient";
                stats.Clips = 0;
            }
            if (stats.Clips > 0)
            {
                var optimizerClock = Stopwatch.StartNew();
                if (options.GradientClipNorm is { } maxNorm) nn.utils.clip_grad_norm_(matcher.Network.parameters(), maxNorm);
                optimizer.step();
                stats.Optimizer += optimizerClock.Elapsed.TotalSeconds;
                updates++;
                lastLoss = stats.Loss / stats.Clips;
            }

            double? metric = null;
            bool validate = Validate is not null && (step % options.ValidateEvery == 0 || step == options.Steps);
            if (validate)
            {
                matcher.Train(false);
                metric = Validate!(matcher);
            }
            bool improved = metric is { } m && (bestMetric is null || m > bestMetric);
            if (improved) (bestMetric, bestStep) = (metric, step);
            if (step % options.CheckpointEvery == 0 || step == options.Steps || improved)
            {
                var state = new TrainingState(step, options.Seed, modelSpec, new(skipped), bestMetric, bestStep, elapsedBefore + clock.Elapsed.TotalSeconds);
                lastCheckpoint = checkpoints.Save(matcher.Network, optimizer, state, options.KeepCheckpoints);
                if (improved) checkpoints.MarkBest(lastCheckpoint);
            }

            var report = new TrainingProgress(step, options.Steps, stats.Clips > 0 ? stats.Loss / stats.Clips : null, stats.Observations,
                stats.InlierRatio, stats.BaCost, stats.SkippedClips, stats.LastSkip, metric,
                new StepTimings(stats.Forward, stats.Mapping, stats.Backward, stats.Optimizer));
            log.Write(report, skipped, options.LearningRate);
            progress?.Report(report);
        }
        return new TrainingSummary(firstStep, options.Steps, updates, skipped, lastLoss, bestMetric, bestStep, elapsedBefore + clock.Elapsed.TotalSeconds, lastCheckpoint);
    }

    /// <summary>Forward, map, loss and backward for one clip; the skip reason when the clip taught nothing.</summary>
    private string? TrainOnClip(Clip clip, IReadOnlyList<(int A, int B)> pairs, StepStats stats)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var images = clip.Frames.Select(f => ImageTensor.Load(f.ImagePath, matcher.Device)).ToList();
        var predictions = matcher.Predict(images, pairs);
        foreach (var p in predictions)
            if (!p.Fine.isfinite().all().item<bool>() || !p.Coarse.isfinite().all().item<bool>()) return "non_finite_prediction";
        stats.Forward += clock.Elapsed.TotalSeconds;
        clock.Restart();
        var correspondences = predictions.Select(p => p.ToCorrespondences()).ToList();
        var outcome = Mapper.Run(clip.Frames.Select(f => f.Camera).ToArray(), correspondences, options.Mapper);
        stats.Mapping += clock.Elapsed.TotalSeconds;
        clock.Restart();
        if (!outcome.Succeeded) return "mapping_" + outcome.Failure!.Reason.ToString().ToLowerInvariant();
        var map = outcome.Map!;
        var camera = clip.Frames[0].Camera;
        using var loss = ImperativeLoss.Compute(predictions, map, Math.Max(camera.Width, camera.Height), options.CoarseWeight);
        if (loss.Observations == 0) return "no_surviving_predictions";
        double value = loss.Loss.to_type(ScalarType.Float64).item<double>();
        if (!double.IsFinite(value)) return "non_finite_loss";
        (loss.Loss / options.AccumulationSteps).backward();
        stats.Backward += clock.Elapsed.TotalSeconds;
        stats.Clips++;
        stats.Loss += value;
        stats.Observations += loss.Observations;
        stats.InlierRatio = map.InlierRatio;
        stats.BaCost = map.FinalCost;
        return null;
    }

    private bool GradientsAreFinite()
    {
        using var scope = NewDisposeScope();
        foreach (var p in matcher.Network.parameters())
            if (p.grad is { } g && !g.isfinite().all().item<bool>()) return false;
        return true;
    }

    private sealed class StepStats
    {
        public int Clips, Observations, SkippedClips;
        public double Loss, InlierRatio, BaCost, Forward, Mapping, Backward, Optimizer;
        public string? LastSkip;
    }
}
