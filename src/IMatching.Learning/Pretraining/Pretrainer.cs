using System.Diagnostics;
using IMatching.Geometry.Linear;
using IMatching.Learning.Matching;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using static TorchSharp.torch;

namespace IMatching.Learning.Pretraining;

/// <summary>
/// Supervised pretraining on random homographies of single frames: each step warps frames drawn from the data,
/// predicts the warped positions of the matcher's queries and pulls them, fine and coarse, towards the exact
/// ones with the Huber point loss the imperative trainer uses. Checkpoints are the trainer's (state.json names
/// the architecture), so <c>ckpt:DIR</c> loads the result anywhere and <c>train</c> can start from it. Every step's
/// pairs are a function of (seed, step) alone, so a resumed run sees exactly what the uninterrupted one would have.
/// A non-finite prediction, loss or gradient skips the step and is counted; it never reaches the weights.
/// </summary>
public sealed class Pretrainer(IDifferentiableMatcher matcher, string modelSpec, Sequence data, PretrainerOptions options)
{
    /// <summary>Scores the matcher on held-out data (higher is better); called every ValidateEvery steps and at the end.</summary>
    public Func<IDifferentiableMatcher, double>? Validate { get; init; }

    public TrainingSummary Run(string outputDirectory, bool resume, IProgress<PretrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        if (data.Count == 0) throw new ArgumentException($"{data.Name} has no frames to pretrain on.");
        var sampler = new HomographyPairSampler(options.Geometry, options.Appearance, options.CropSize);
        using var session = new TrainingSession(matcher, modelSpec, options.Seed, options.LearningRate, outputDirectory, resume);
        var log = new PretrainingLog(Path.Combine(outputDirectory, "tensorboard"));
        for (int step = session.FirstStep; step <= options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var stepClock = Stopwatch.StartNew();
            matcher.Train(true);
            session.Optimizer.zero_grad();
            var outcome = TrainStep(step, sampler);
            string? skip = outcome.SkipReason;
            if (skip is null) skip = session.Update(options.GradientClipNorm, outcome.Loss!.Value);
            else
            {
                session.Optimizer.zero_grad();
                session.CountSkip(skip);
            }

            double? metric = session.EndStep(step, options.Steps, Validate, options.ValidateEvery, options.CheckpointEvery, options.KeepCheckpoints);
            var report = new PretrainingProgress(step, options.Steps, skip is null ? outcome.Loss : null, outcome.Targets, outcome.WithinThreePx, skip, metric,
                stepClock.Elapsed.TotalSeconds);
            log.Write(report, session.Skipped, options.LearningRate);
            progress?.Report(report);
        }
        return session.Summary(options.Steps);
    }

    private sealed record StepOutcome(double? Loss, int Targets, double? WithinThreePx, string? SkipReason);

    /// <summary>Pairs, forward, loss and backward for one step; the skip reason when the step must not update the weights.</summary>
    private StepOutcome TrainStep(int step, HomographyPairSampler sampler)
    {
        using var scope = NewDisposeScope();
        var images = new List<Tensor>();
        var pairs = new List<(int A, int B)>();
        var geometry = new List<(Mat3 BFromA, int Width, int Height)>();
        for (int slot = 0; slot < options.PairsPerStep; slot++)
        {
            // A pure function of (seed, step, slot): HashCode.Combine is salted per process, so it would break resuming.
            var random = new Random(unchecked((options.Seed * 1_000_003 + step) * 64 + slot));
            using var frame = PretrainingImage.Load(data[random.Next(data.Count)], options.ImageSize);
            using var pair = sampler.Sample(frame, random);
            images.Add(ImageTensor.FromMat(pair.ImageA, matcher.Device));
            images.Add(ImageTensor.FromMat(pair.ImageB, matcher.Device));
            pairs.Add((2 * slot, 2 * slot + 1));
            geometry.Add((pair.BFromA, pair.ImageB.Width, pair.ImageB.Height));
        }
        var predictions = matcher.Predict(images, pairs);
        if (!TrainingSession.PredictionsAreFinite(predictions)) return new(null, 0, null, "non_finite_prediction");
        var targets = predictions
            .SelectMany((p, i) => HomographyTargets.Compute(i, p.Queries, geometry[i].BFromA, geometry[i].Width, geometry[i].Height, options.TargetMarginPx))
            .ToList();
        if (targets.Count == 0) return new(null, 0, null, "no_targets");
        double within = targets.GroupBy(t => t.Pair)
            .Sum(g => PredictionErrors.Fine(predictions[g.Key], [.. g]).Count(e => e <= 3)) / (double)targets.Count;
        double imageSize = geometry.Max(g => Math.Max(g.Width, g.Height));
        using var loss = PointTargetLoss.Compute(predictions, targets, options.HuberScalePx, imageSize, options.CoarseWeight);
        double value = loss.Loss.to_type(ScalarType.Float64).item<double>();
        if (!double.IsFinite(value)) return new(null, targets.Count, within, "non_finite_loss");
        loss.Loss.backward();
        return new(value, targets.Count, within, null);
    }
}
