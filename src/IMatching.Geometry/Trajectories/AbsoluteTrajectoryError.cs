using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Trajectories;

/// <summary>
/// Absolute trajectory error (TUM benchmark): the distances between ground-truth camera centres and the estimated
/// ones after the estimate is aligned to the ground truth by <see cref="Umeyama"/>.
/// </summary>
public sealed record AbsoluteTrajectoryError(Sim3 GroundTruthFromEstimate, ErrorStatistics Translation)
{
    /// <summary>Needs at least 3 pairs whose centres are not collinear and do not coincide (see <see cref="Degeneracy"/>).</summary>
    public static AbsoluteTrajectoryError Compute(IReadOnlyList<PosePair> pairs, TrajectoryAlignment alignment)
    {
        var (estimated, groundTruth) = Centres(pairs);
        var groundTruthFromEstimate = Umeyama.Align(estimated, groundTruth, withScale: alignment == TrajectoryAlignment.Sim3);
        var errors = new double[pairs.Count];
        for (int i = 0; i < errors.Length; i++)
            errors[i] = (groundTruth[i] - groundTruthFromEstimate.Act(estimated[i])).Norm;
        return new(groundTruthFromEstimate, ErrorStatistics.From(errors));
    }

    /// <summary>Why the camera centres of these pairs cannot be aligned (e.g. every estimated centre the same), or null when they can.</summary>
    public static string? Degeneracy(IReadOnlyList<PosePair> pairs)
    {
        var (estimated, groundTruth) = Centres(pairs);
        return Umeyama.Degeneracy(estimated, groundTruth, "estimated camera centres", "ground-truth camera centres");
    }

    private static (Vec3[] Estimated, Vec3[] GroundTruth) Centres(IReadOnlyList<PosePair> pairs) =>
        ([.. pairs.Select(p => p.Estimated.CameraFromWorld.InverseTranslation)], [.. pairs.Select(p => p.GroundTruth.CameraFromWorld.InverseTranslation)]);
}
