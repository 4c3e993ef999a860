using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>
/// A reprojection residual: sqrt(Weight) * (project(intrinsics, pose * point) - ObservedPx),
/// passed through <see cref="Loss"/> (the problem's default when null).
/// </summary>
public sealed record Observation(PoseBlock Pose, IntrinsicsBlock Intrinsics, PointBlock Point, Vec2 ObservedPx, double Weight, LossFunction? Loss);
