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
        var schedule = new ClipSchedule(data, options);
        var pairs = options.ClipPairs();
        using var session = new TrainingSession(matcher, modelSpec, options.Seed, options.LearningRate, outputDirectory, resume);
        var log = new TrainingLog(Path.Combine(outputDirectory, "tensorboard"));
        if (options.Steps == 0 && session.FirstStep == 1)
            session.EndStep(0, 0, Validate, options.ValidateEvery, options.CheckpointEvery, options.KeepCheckpoints);
        for (int step = session.FirstStep; step <= options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            matcher.Train(!options.FreezeBatchNorm);
            session.Optimizer.zero_grad();
            var stats = new StepStats();
            for (int slot = 0; slot < options.AccumulationSteps; slot++)
            {
                var clip = schedule[(long)(step - 1) * options.AccumulationSteps + slot];
                string? reason = TrainOnClip(clip, pairs, stats);
                if (reason is null) continue;
                session.CountSkip(reason);
                stats.LastSkip = reason;
                stats.SkippedClips++;
            }
            if (stats.Clips > 0)
            {
                var optimizerClock = Stopwatch.StartNew();
                if (session.Update(options.GradientClipNorm, stats.Loss / stats.Clips) is { } refused)
                {
                    stats.LastSkip = refused;
                    stats.Clips = 0;
                }
                stats.Optimizer += optimizerClock.Elapsed.TotalSeconds;
            }

            double? metric = session.EndStep(step, options.Steps, Validate, options.ValidateEvery, options.CheckpointEvery, options.KeepCheckpoints);
            var report = new TrainingProgress(step, options.Steps, stats.Clips > 0 ? stats.Loss / stats.Clips : null, stats.Observations,
                stats.InlierRatio, stats.BaCost, stats.SkippedClips, stats.LastSkip, metric,
                new StepTimings(stats.Forward, stats.Mapping, stats.Backward, stats.Optimizer));
            log.Write(report, session.Skipped, options.LearningRate);
            progress?.Report(report);
        }
        return session.Summary(options.Steps);
    }

    /// <summary>Forward, map, loss and backward for one clip; the skip reason when the clip taught nothing.</summary>
    private string? TrainOnClip(Clip clip, IReadOnlyList<(int A, int B)> pairs, StepStats stats)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var images = clip.Frames.Select(f => ImageTensor.Load(f.ImagePath, matcher.Device)).ToList();
        var predictions = matcher.Predict(images, pairs);
        if (!TrainingSession.PredictionsAreFinite(predictions)) return "non_finite_prediction";
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
        loss.Loss.Over(options.AccumulationSteps).backward();
        stats.Backward += clock.Elapsed.TotalSeconds;
        stats.Clips++;
        stats.Loss += value;
        stats.Observations += loss.Observations;
        stats.InlierRatio = map.InlierRatio;
        stats.BaCost = map.FinalCost;
        return null;
    }

    private sealed class StepStats
    {
        public int Clips, Observations, SkippedClips;
        public double Loss, InlierRatio, BaCost, Forward, Mapping, Backward, Optimizer;
        public string? LastSkip;
    }
}
