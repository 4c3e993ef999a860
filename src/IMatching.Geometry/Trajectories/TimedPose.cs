using IMatching.Geometry.Lie;

namespace IMatching.Geometry.Trajectories;

/// <summary>A camera pose at a time in seconds.</summary>
public readonly record struct TimedPose(double Timestamp, Se3 CameraFromWorld);
