namespace IMatching.Geometry.Trajectories;

/// <summary>How an estimated trajectory is brought into the ground truth's frame before errors are measured.</summary>
public enum TrajectoryAlignment
{
    /// <summary>Rotation, translation and scale: for monocular estimates, whose scale is arbitrary.</summary>
    Sim3,

    /// <summary>Rotation and translation only: for metric estimates (stereo, RGB-D, inertial).</summary>
    Se3,
}
