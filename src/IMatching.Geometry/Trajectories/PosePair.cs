namespace IMatching.Geometry.Trajectories;

/// <summary>An estimated pose and the ground-truth pose associated with it by time.</summary>
public readonly record struct PosePair(TimedPose Estimated, TimedPose GroundTruth);
