using IMatching.Geometry;
using System.Diagnostics;
using IMatching.Geometry.Linear;
using IMatching.Learning.Matching;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using static TorchSharp.torch;

namespace IMatching.Learning.Pretraining;

/// <summary>
/// Supervised pretraining on random homographies of single frames, one batch of pairs per sample: warps frames drawn
/// from the data, predicts the warped positions of the matcher's queries and pulls them, fine and coarse, towards the
/// exact ones with the Huber point loss the imperative trainer uses. Driven by <see cref="TrainingLoop"/>, so its
/// checkpoints are the trainer's and <c>ckpt:DIR</c> loads the result anywhere. Every sample's pairs are a function
/// of (seed, step, slot) alone, so a resumed run sees exactly what the uninterrupted one would have.
/// </summary>
public sealed class Pretrainer : ITrainingStep
{
    public static readonly TrainingMetric Targets = new("targets", MetricAggregation.Sum);
    /// <summary>Fraction of the targets the fine level put within 3 px (before the update): a training-set MMA@3px.</summary>
    public static readonly TrainingMetric WithinThreePx = new("train_mma3", MetricAggregation.Mean);

    /// <summary>Pairs a step may draw before two steps' random streams could meet (see <see cref="PairSeed"/>).</summary>
    private const int PairsPerStepLimit = 64;

    private readonly Sequence _data;
    private readonly PretrainerOptions _options;
    private readonly HomographyPairSampler _sampler;

    public Pretrainer(Sequence data, PretrainerOptions options)
    {
        options.Validate();
        if (data.Count == 0) throw new UserInputException(data.Name, "no frames to pretrain on");
        (_data, _options) = (data, options);
        _sampler = new HomographyPairSampler(options.Geometry, options.Appearance, options.CropSize);
    }

    public string LogPrefix => "pretrain";

    public bool LearnsBatchStatistics => true;

    public void Check(TrainingOptions training)
    {
        if (_options.PairsPerStep * training.AccumulationSteps > PairsPerStepLimit)
            throw new ArgumentException($"{_options.PairsPerStep} pairs per step x {training.AccumulationSteps} accumulated exceeds {PairsPerStepLimit} pairs a step.");
    }

    public SampleOutcome Compute(IDifferentiableMatcher matcher, SampleIndex sample)
    {
        var clock = Stopwatch.StartNew();
        var images = new List<Tensor>();
        var pairs = new List<(int A, int B)>();
        var geometry = new List<(Mat3 BFromA, int Width, int Height)>();
        for (int slot = 0; slot < _options.PairsPerStep; slot++)
        {
            var random = new Random(PairSeed(sample, slot));
            using var frame = PretrainingImage.Load(_data[random.Next(_data.Count)], _options.ImageSize);
            using var pair = _sampler.Sample(frame, random);
            images.Add(ImageTensor.FromMat(pair.ImageA, matcher.Device));
            images.Add(ImageTensor.FromMat(pair.ImageB, matcher.Device));
            pairs.Add((2 * slot, 2 * slot + 1));
            geometry.Add((pair.BFromA, pair.ImageB.Width, pair.ImageB.Height));
        }
        var predictions = matcher.Predict(images, pairs);
        double forward = clock.Elapsed.TotalSeconds;
        if (!PredictionGuard.AllFinite(predictions)) return SampleOutcome.Skipped(SkipReason.NonFinitePrediction) with { ForwardSeconds = forward };
        clock.Restart();
        var targets = predictions
            .SelectMany((p, i) => HomographyTargets.Compute(i, p.Queries, geometry[i].BFromA, geometry[i].Width, geometry[i].Height, _options.TargetMarginPx))
            .ToList();
        if (targets.Count == 0) return SampleOutcome.Skipped(SkipReason.NoTargets) with { ForwardSeconds = forward };
        double within = targets.GroupBy(t => t.Pair)
            .Sum(g => PredictionErrors.Fine(predictions[g.Key], [.. g]).Count(e => e <= 3)) / (double)targets.Count;
        double imageSize = geometry.Max(g => Math.Max(g.Width, g.Height));
        var loss = PointTargetLoss.Compute(predictions, targets, _options.HuberScalePx, imageSize, _options.CoarseWeight);
        return SampleOutcome.Trained(loss.Loss, [new(Targets, targets.Count), new(WithinThreePx, within)])
            with { ForwardSeconds = forward, TargetSeconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>
    /// A pure function of (seed, step, pair): HashCode.Combine is salted per process, so it would break resuming.
    /// Pair <c>slot x PairsPerStep + pair</c> of the step keeps the first slot's stream what it always was.
    /// </summary>
    private int PairSeed(SampleIndex sample, int pair) =>
        unchecked((sample.Seed * 1_000_003 + sample.Step) * PairsPerStepLimit + sample.Slot * _options.PairsPerStep + pair);
}
