using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// A smooth hand-held camera path circling the room's object cluster (<see cref="RoomLayout"/>) at 30 Hz: the
/// centre walks along a wobbling orbit, the camera looks at a slowly wandering point in the cluster, and slow
/// yaw, pitch and roll swings plus millimetre tremor make it look held. Every term is a sum of sinusoids, so
/// position and orientation are smooth at any frame rate. At speed 1 frames are ~2.2 cm and ~0.8 degrees (at most ~1.7) apart.
/// </summary>
internal static class HandHeldTrajectory
{
    public const double FramesPerSecond = 30;

    /// <summary>Walking speed along the orbit at speed 1, m/s.</summary>
    private const double WalkMps = 0.65;

    public static Se3[] Generate(int frames, int seed, double speed = 1)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), frames, "At least one frame.");
        if (!(speed > 0) || !double.IsFinite(speed)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "Speed must be positive.");
        // Its own stream, so the path does not change when the room generator draws a different number of values.
        var r = new Random(unchecked(seed * 7919 + 17));
        double Phase() => 2 * Math.PI * r.NextDouble();
        double angle0 = Phase(), direction = r.NextDouble() < 0.5 ? -1 : 1;
        double height0 = 1.25 + 0.3 * r.NextDouble(), targetHeight = 0.6 + 0.3 * r.NextDouble();
        var p = Enumerable.Range(0, 16).Select(_ => Phase()).ToArray();

        var cameraFromWorld = new Se3[frames];
        for (int k = 0; k < frames; k++)
        {
            double t = k * speed / FramesPerSecond;
            double angle = angle0 + direction * WalkMps / RoomLayout.OrbitRadiusM * t;
            double radius = RoomLayout.OrbitRadiusM + 0.16 * Math.Sin(0.5 * t + p[0]) + 0.05 * Math.Sin(1.3 * t + p[1]);
            double height = height0 + 0.1 * Math.Sin(0.4 * t + p[2]) + 0.03 * Math.Sin(1.7 * t + p[3]);
            var tremor = 0.004 * new Vec3(Math.Sin(6.1 * t + p[4]), Math.Sin(5.3 * t + p[5]), Math.Sin(7.7 * t + p[6]));
            var centre = new Vec3(radius * Math.Cos(angle), radius * Math.Sin(angle), height) + tremor;
            var target = new Vec3(0.35 * Math.Sin(0.3 * t + p[7]), 0.35 * Math.Sin(0.23 * t + p[8]), targetHeight + 0.15 * Math.Sin(0.35 * t + p[9]));
            double yaw = 0.2 * Math.Sin(2.2 * t + p[10]) + 0.05 * Math.Sin(3.7 * t + p[11]);
            double pitch = 0.09 * Math.Sin(1.9 * t + p[12]) + 0.03 * Math.Sin(3.3 * t + p[13]);
            double roll = 0.05 * Math.Sin(0.9 * t + p[14]) + 0.015 * Math.Sin(2.3 * t + p[15]);
            cameraFromWorld[k] = LookAt(centre, target, yaw, pitch, roll).Inverse();
        }
        return cameraFromWorld;
    }

    /// <summary>
    /// worldFromCamera for a camera at <paramref name="centre"/> facing <paramref name="target"/> (z forward, x right,
    /// y down, world z up), then turned by yaw, pitch and roll about its own y, x and z axes.
    /// </summary>
    private static Se3 LookAt(Vec3 centre, Vec3 target, double yaw, double pitch, double roll)
    {
        var forward = (target - centre).Normalized();
        var right = forward.Cross(new Vec3(0, 0, 1)).Normalized();
        var down = forward.Cross(right);
        var worldFromLevel = Mat3.FromColumns(right, down, forward);
        var swing = So3.Exp(new Vec3(0, yaw, 0)) * So3.Exp(new Vec3(pitch, 0, 0)) * So3.Exp(new Vec3(0, 0, roll));
        return new Se3(worldFromLevel * swing, centre);
    }
}
