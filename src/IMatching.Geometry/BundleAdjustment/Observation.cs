using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>
/// A reprojection residual: sqrt(Weight) * (project(intrinsics, pose * point) - ObservedPx),
/// passed through <see cref="Loss"/> (the problem's default when null), standing for <see cref="Multiplicity"/>
/// identical residuals: its cost is Multiplicity * 0.5 * rho(s). The solver evaluates the projection and its Jacobian
/// once for all of them (a feature matched in several pairs at one pixel, for instance).
/// </summary>
public sealed record Observation(PoseBlock Pose, IntrinsicsBlock Intrinsics, PointBlock Point, Vec2 ObservedPx, double Weight, LossFunction? Loss,
    int Multiplicity = 1);
