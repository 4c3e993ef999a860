namespace IMatching.Vision.Evaluation;

/// <summary>
/// What the ground truth says about one pair's matches. Curves hold one fraction per
/// <see cref="MetricThresholds.Pixels"/> entry and are null when the pair lacks the geometry (MMA: no
/// homography and no depth; epipolar: no poses); so is the pose error. Per-match errors are kept for pictures.
/// </summary>
public sealed record PairMetrics(double[]? Mma, double[]? Epipolar, double? PoseErrorDegrees, double[]? ReferenceErrorsPx, double[]? EpipolarErrorsPx)
{
    /// <summary>The pose AUC of this pair alone (the same integration over a single error); null without poses.</summary>
    public double[]? Auc => PoseErrorDegrees is { } error ? PoseAuc.Compute([error], MetricThresholds.Degrees) : null;

    /// <summary>The strictest per-match errors available: reprojection/homography, else epipolar, else none.</summary>
    public double[]? MatchErrorsPx => ReferenceErrorsPx ?? EpipolarErrorsPx;
}
