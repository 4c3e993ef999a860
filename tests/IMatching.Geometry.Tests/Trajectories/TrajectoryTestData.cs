using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.Lie;
using IMatching.Geometry.Trajectories;

namespace IMatching.Geometry.Tests.Trajectories;

/// <summary>Random trajectories and similarity transforms shared by the trajectory tests.</summary>
internal static class TrajectoryTestData
{
    public static Sim3 RandomSim3(Random rng, double angle, double scale) => new(
        scale, So3.Exp(angle * LieTestData.RandomUnit(rng)), new Vec3(10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5));

    /// <summary>A camera wandering through a few metres of space at 30 Hz, turning as it goes.</summary>
    public static Trajectory RandomTrajectory(Random rng, int count, double startTime = 100)
    {
        var poses = new TimedPose[count];
        var centre = Vec3.Zero;
        var worldFromCameraRotation = Mat3.Identity;
        for (int i = 0; i < count; i++)
        {
            centre += new Vec3(0.2 + 0.1 * rng.NextDouble(), 0.2 * rng.NextDouble() - 0.1, 0.2 * rng.NextDouble() - 0.1);
            centre += new Vec3(0, Math.Sin(0.3 * i) * 0.2, Math.Cos(0.2 * i) * 0.1);
            worldFromCameraRotation = So3.Exp(LieTestData.RandomRotationVector(rng, 0.2)) * worldFromCameraRotation;
            var worldFromCamera = new Se3(worldFromCameraRotation, centre);
            poses[i] = new TimedPose(startTime + i / 30.0, worldFromCamera.Inverse());
        }
        return new Trajectory(poses);
    }

    /// <summary>The same camera motion described in a world frame moved by <paramref name="newWorldFromOldWorld"/>.</summary>
    public static Se3 MoveWorld(Se3 cameraFromWorld, Sim3 newWorldFromOldWorld)
    {
        var rotation = cameraFromWorld.Rotation * newWorldFromOldWorld.Rotation.Transpose();
        var centre = newWorldFromOldWorld.Act(cameraFromWorld.InverseTranslation);
        return new Se3(rotation, -(rotation * centre));
    }

    public static Trajectory MoveWorld(Trajectory trajectory, Sim3 newWorldFromOldWorld) =>
        new(trajectory.Poses.Select(p => p with { CameraFromWorld = MoveWorld(p.CameraFromWorld, newWorldFromOldWorld) }));

    public static IReadOnlyList<PosePair> Pair(Trajectory estimated, Trajectory groundTruth) =>
        [.. estimated.Poses.Zip(groundTruth.Poses, (e, g) => new PosePair(e, g))];
}
