namespace IMatching.Geometry.Trajectories;

/// <summary>Camera poses ordered by strictly increasing timestamp, so association can search them by time.</summary>
public sealed class Trajectory
{
    public Trajectory(IEnumerable<TimedPose> poses)
    {
        Poses = [.. poses];
        for (int i = 0; i < Poses.Count; i++)
        {
            var pose = Poses[i];
            if (!double.IsFinite(pose.Timestamp) || !pose.CameraFromWorld.IsFinite)
                throw new ArgumentException($"Pose {i} (t = {pose.Timestamp}) is not finite.", nameof(poses));
            if (i > 0 && !(pose.Timestamp > Poses[i - 1].Timestamp))
                throw new ArgumentException($"Timestamps must increase: pose {i} has {pose.Timestamp} after {Poses[i - 1].Timestamp}.", nameof(poses));
        }
    }

    public IReadOnlyList<TimedPose> Poses { get; }

    public int Count => Poses.Count;
}
