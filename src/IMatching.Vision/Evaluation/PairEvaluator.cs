using IMatching.Vision.Datasets;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>Scores one pair's matches with every metric its ground truth supports.</summary>
public static class PairEvaluator
{
    public static PairMetrics Evaluate(EvaluationPair pair, Correspondences matches)
    {
        if (pair.Homography is { } h)
        {
            var errors = HomographyErrors.Compute(matches, h);
            return new PairMetrics(ThresholdFractions.Compute(errors, MetricThresholds.Pixels), null, null, errors, null);
        }
        if (pair.BFromA is not { } bFromA || pair.FrameA is not { } a || pair.FrameB is not { } b)
            return new PairMetrics(null, null, null, null, null);

        double[]? reference = a.DepthPath is null ? null : ReprojectionErrors.Compute(matches, a.Camera, DepthMapLoader.Load(a), bFromA, b.Camera);
        var epipolar = EpipolarErrors.Compute(matches, a.Camera, bFromA, b.Camera);
        var estimate = RelativePoseEstimator.Estimate(matches, a.Camera, b.Camera);
        return new PairMetrics(
            reference is null ? null : ThresholdFractions.Compute(reference, MetricThresholds.Pixels),
            ThresholdFractions.Compute(epipolar, MetricThresholds.Pixels),
            PoseAngularError.Degrees(estimate, bFromA),
            reference,
            epipolar);
    }
}
