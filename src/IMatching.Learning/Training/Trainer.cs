using System.Diagnostics;
using IMatching.Learning.Matching;
using IMatching.Learning.Objectives;
using IMatching.Vision.Datasets;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Training;

/// <summary>
/// Imperative learning, one clip per sample: the matcher predicts matches over the clip, the robust mapper solves
/// bundle adjustment on detached copies, and an objective of the surviving predictions (by default the BA's own
/// cost; see <see cref="TrainerOptions.Objective"/>) — poses and landmarks held constant — is the loss. A clip that cannot be mapped is skipped with its reason; an exception inside
/// mapping is a counted skip too (<c>mapping_exception</c>), with its message.
/// </summary>
public sealed class Trainer : ITrainingStep
{
    public static readonly TrainingMetric Observations = new("observations", MetricAggregation.Sum);
    public static readonly TrainingMetric InlierRatio = new("inlier_ratio", MetricAggregation.Mean);
    public static readonly TrainingMetric BaCost = new("ba_cost", MetricAggregation.Mean);

    private readonly TrainerOptions _options;
    private readonly ClipSchedule _schedule;
    private readonly IReadOnlyList<(int A, int B)> _pairs;
    private readonly IImperativeObjective _objective;

    public Trainer(Sequence data, TrainerOptions options)
    {
        options.Validate();
        _options = options;
        _schedule = new ClipSchedule(data, options);
        _pairs = options.ClipPairs();
        _objective = ImperativeObjectives.Create(options.Objective, options.CoarseWeight);
    }

    public string LogPrefix => "train";

    public bool LearnsBatchStatistics => !_options.FreezeBatchNorm;

    public void Check(TrainingOptions training) { }

    public SampleOutcome Compute(IDifferentiableMatcher matcher, SampleIndex sample)
    {
        var clip = _schedule.At(sample.Draw, sample.Seed);
        var clock = Stopwatch.StartNew();
        var images = clip.Frames.Select(f => Load(f, matcher.Device)).ToList();
        var predictions = matcher.Predict(images, _pairs);
        double forward = clock.Elapsed.TotalSeconds;
        if (!PredictionGuard.AllFinite(predictions)) return SampleOutcome.Skipped(SkipReason.NonFinitePrediction) with { ForwardSeconds = forward };
        clock.Restart();
        if (Map(clip, predictions, out var skip) is { } map)
        {
            var loss = _objective.Compute(predictions, map, clip.Frames.Select(f => f.Camera).ToList());
            var result = loss.Observations == 0
                ? SampleOutcome.Skipped(SkipReason.NoSurvivingPredictions)
                : SampleOutcome.Trained(loss.Loss, [new(Observations, loss.Observations), new(InlierRatio, map.InlierRatio), new(BaCost, map.FinalCost)]);
            return result with { ForwardSeconds = forward, TargetSeconds = clock.Elapsed.TotalSeconds };
        }
        return skip! with { ForwardSeconds = forward, TargetSeconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>A frame as network input, refused when its size is not the one its intrinsics describe.</summary>
    private static TorchSharp.torch.Tensor Load(Frame frame, TorchSharp.torch.Device device)
    {
        using var image = FrameImageLoader.Load(frame);
        return ImageTensor.FromMat(image, device);
    }

    /// <summary>The clip's map, or the skip saying why there is none (a failure the mapper reports, or an exception it threw).</summary>
    private MapResult? Map(Clip clip, IReadOnlyList<PairPredictions> predictions, out SampleOutcome? skip)
    {
        skip = null;
        string where = $"clip from {Path.GetFileName(clip.Frames[0].ImagePath)}";
        try
        {
            var correspondences = predictions.Select(p => p.ToCorrespondences()).ToList();
            // Mapping runs between the forward and backward passes, while libtorch's threads wait: it takes them.
            var options = _options.Mapper with { NumThreads = TorchSharp.torch.get_num_threads() };
            var outcome = Mapper.Run(clip.Frames.Select(f => f.Camera).ToArray(), correspondences, options);
            if (!outcome.Succeeded) skip = SampleOutcome.Skipped(SkipReason.Mapping(outcome.Failure!.Reason), $"{where}: {outcome.Failure.Detail}");
            return outcome.Map;
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            // One bad clip must not end a long run; many in a row do (TrainingOptions.MaxConsecutiveFaults).
            skip = SampleOutcome.Skipped(SkipReason.MappingException, $"{where}: {e.GetType().Name}: {e.Message}");
            return null;
        }
    }
}
