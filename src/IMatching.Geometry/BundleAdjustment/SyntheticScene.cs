using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>One generated observation: which camera saw which point where, and whether it is a planted outlier.</summary>
public readonly record struct SyntheticObservation(int Camera, int Point, Vec2 Pixel, bool IsOutlier);

/// <summary>
/// A generated bundle adjustment scene with exact ground truth: cameras on an arc looking at a
/// cloud of points, one pinhole camera with distortion, Gaussian pixel noise and planted outliers.
/// Deterministic per seed; the default problem of <c>imatching ba</c> and the solver tests.
/// </summary>
public sealed class SyntheticScene
{
    public required PinholeCamera Camera { get; init; }
    public required Se3[] CameraFromWorld { get; init; }
    public required Vec3[] Points { get; init; }
    public required SyntheticObservation[] Observations { get; init; }

    public static SyntheticScene Generate(int cameras = 8, int points = 1000, double noisePx = 0.5, double outlierFraction = 0, int seed = 1)
    {
        if (cameras < 2) throw new ArgumentOutOfRangeException(nameof(cameras), "At least two cameras.");
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points));
        var rng = new Random(seed);
        var camera = new PinholeCamera(640, 480, 500, 505, 319.5, 239.5, K1: -0.1, K2: 0.02, P1: 5e-4, P2: -3e-4);
        var poses = new Se3[cameras];
        for (int i = 0; i < cameras; i++)
        {
            // Centres on a 70-degree arc of radius 5 around the cloud, all looking at its middle.
            double angle = (i / (double)(cameras - 1) - 0.5) * 70 * Math.PI / 180;
            var centre = new Vec3(5 * Math.Sin(angle), 0.3 * Math.Sin(3.1 * i), -5 * Math.Cos(angle));
            poses[i] = LookAt(centre, Vec3.Zero, new Vec3(0, -1, 0));
        }
        var world = new Vec3[points];
        for (int j = 0; j < points; j++)
            world[j] = new Vec3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);

        var observations = new List<SyntheticObservation>();
        for (int j = 0; j < points; j++)
        {
            for (int i = 0; i < cameras; i++)
            {
                var pc = poses[i].Act(world[j]);
                if (pc.Z <= 0.1) continue;
                var pixel = camera.Project(pc);
                if (pixel.X < 0 || pixel.Y < 0 || pixel.X > camera.Width - 1 || pixel.Y > camera.Height - 1) continue;
                bool outlier = rng.NextDouble() < outlierFraction;
                pixel = outlier
                    ? new Vec2(rng.NextDouble() * (camera.Width - 1), rng.NextDouble() * (camera.Height - 1))
                    : pixel + noisePx * new Vec2(Gaussian(rng), Gaussian(rng));
                observations.Add(new SyntheticObservation(i, j, pixel, outlier));
            }
        }
        return new SyntheticScene { Camera = camera, CameraFromWorld = poses, Points = world, Observations = observations.ToArray() };
    }

    /// <summary>cameraFromWorld of a camera at <paramref name="centre"/> looking at <paramref name="target"/> (+z forward, +y down).</summary>
    public static Se3 LookAt(Vec3 centre, Vec3 target, Vec3 up)
    {
        var z = (target - centre).Normalized();
        var x = z.Cross(-up).Normalized();
        var y = z.Cross(x);
        var rotation = Mat3.FromRows(x, y, z);
        return new Se3(rotation, -(rotation * centre));
    }

    /// <summary>
    /// A solver problem whose starting point is the ground truth perturbed (rotation by about
    /// <paramref name="rotationNoiseRad"/>, centres and points by <paramref name="positionNoise"/>);
    /// intrinsics constant at their true values unless <paramref name="freeIntrinsics"/>.
    /// </summary>
    public (Problem Problem, PoseBlock[] Poses, PointBlock[] Points, IntrinsicsBlock Intrinsics) ToProblem(
        double rotationNoiseRad = 0.01, double positionNoise = 0.05, bool freeIntrinsics = false, int seed = 2, LossFunction? loss = null)
    {
        var rng = new Random(seed);
        var problem = new Problem { DefaultLoss = loss };
        var intrinsics = problem.AddIntrinsics(BrownConradyModel.Instance, Camera.ToParameters());
        if (!freeIntrinsics) problem.SetConstant(intrinsics);
        var poses = CameraFromWorld.Select(t =>
        {
            Span<double> d = [
                positionNoise * Gaussian(rng), positionNoise * Gaussian(rng), positionNoise * Gaussian(rng),
                rotationNoiseRad * Gaussian(rng), rotationNoiseRad * Gaussian(rng), rotationNoiseRad * Gaussian(rng)];
            return problem.AddPose(t.LeftPlus(d));
        }).ToArray();
        var points = Points.Select(p => problem.AddPoint(p + positionNoise * new Vec3(Gaussian(rng), Gaussian(rng), Gaussian(rng)))).ToArray();
        foreach (var o in Observations) problem.AddObservation(poses[o.Camera], intrinsics, points[o.Point], o.Pixel);
        return (problem, poses, points, intrinsics);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
