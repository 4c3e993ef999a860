using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Trajectories;

/// <summary>
/// Absolute trajectory error (TUM benchmark): the distances between ground-truth camera centres and the estimated
/// ones after the estimate is aligned to the ground truth by <see cref="Umeyama"/>.
/// </summary>
public sealed record AbsoluteTrajectoryError(Sim3 GroundTruthFromEstimate, ErrorStatistics Translation)
{
    /// <summary>Needs at least 3 pairs whose centres are not collinear.</summary>
    public static AbsoluteTrajectoryError Compute(IReadOnlyList<PosePair> pairs, TrajectoryAlignment alignment)
    {
        var estimated = pairs.Select(p => p.Estimated.CameraFromWorld.InverseTranslation).ToArray();
        var groundTruth = pairs.Select(p => p.GroundTruth.CameraFromWorld.InverseTranslation).ToArray();
        var groundTruthFromEstimate = Umeyama.Align(estimated, groundTruth, withScale: alignment == TrajectoryAlignment.Sim3);
        var errors = new double[pairs.Count];
        for (int i = 0; i < errors.Length; i++)
            errors[i] = (groundTruth[i] - groundTruthFromEstimate.Act(estimated[i])).Norm;
        return new(groundTruthFromEstimate, ErrorStatistics.From(errors));
    }
}
