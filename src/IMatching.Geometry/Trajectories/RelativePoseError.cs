using IMatching.Geometry.Lie;

namespace IMatching.Geometry.Trajectories;

/// <summary>
/// Relative pose error (TUM benchmark): drift over <see cref="Delta"/> matched frames. For each i, the motion from
/// frame i to i + Delta in the estimate is compared with the same motion in the ground truth,
/// E_i = (Q_i^-1 Q_{i+Delta})^-1 (P_i^-1 P_{i+Delta}) with worldFromCamera poses Q (truth) and P (estimate);
/// the errors are |translation(E_i)| and the angle of rotation(E_i) in degrees.
/// </summary>
public sealed record RelativePoseError(int Delta, ErrorStatistics Translation, ErrorStatistics RotationDegrees)
{
    /// <summary>
    /// <paramref name="scale"/> multiplies the estimated motions first: a monocular estimate is compared at the scale
    /// its Sim(3) alignment found. Rigid alignment itself does not change relative poses, so none is needed.
    /// </summary>
    public static RelativePoseError Compute(IReadOnlyList<PosePair> pairs, int delta = 1, double scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, 1);
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Scale must be positive and finite.");
        if (pairs.Count <= delta)
            throw new ArgumentException($"Relative pose error over {delta} frame(s) needs more than {delta} matched poses, got {pairs.Count}.");
        int n = pairs.Count - delta;
        var translation = new double[n];
        var rotationDegrees = new double[n];
        for (int i = 0; i < n; i++)
        {
            var truth = Motion(pairs[i].GroundTruth, pairs[i + delta].GroundTruth);
            var estimate = Motion(pairs[i].Estimated, pairs[i + delta].Estimated);
            var error = truth.Inverse().Compose(estimate with { Translation = scale * estimate.Translation });
            translation[i] = error.Translation.Norm;
            rotationDegrees[i] = So3.Log(error.Rotation).Norm * (180 / Math.PI);
        }
        return new(delta, ErrorStatistics.From(translation), ErrorStatistics.From(rotationDegrees));
    }

    /// <summary>P_i^-1 P_j for worldFromCamera P, which is cameraIFromCameraJ.</summary>
    private static Se3 Motion(TimedPose from, TimedPose to) => from.CameraFromWorld.Compose(to.CameraFromWorld.Inverse());
}
