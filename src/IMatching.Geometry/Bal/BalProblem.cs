using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Bal;

/// <summary>One BAL observation: camera index, point index and the measured pixel (BAL's centred frame).</summary>
public readonly record struct BalObservation(int Camera, int Point, double X, double Y);

/// <summary>
/// A Bundle Adjustment in the Large problem: per camera 9 numbers (angle-axis rotation, translation,
/// f, k1, k2; P = R X + t is cameraFromWorld), per point 3.
/// </summary>
public sealed class BalProblem
{
    public BalProblem(double[][] cameras, Vec3[] points, BalObservation[] observations)
    {
        Cameras = cameras;
        Points = points;
        Observations = observations;
    }

    public double[][] Cameras { get; }
    public Vec3[] Points { get; }
    public BalObservation[] Observations { get; }

    /// <summary>
    /// How a BAL file's cameras move unless told otherwise: additively in the file's own angle-axis and translation
    /// numbers, the path Ceres' BAL example takes, step for step.
    /// </summary>
    public const PoseUpdate DefaultPoseUpdate = PoseUpdate.AngleAxis;

    /// <summary>
    /// Builds a solver problem: per camera a pose block and a (f, k1, k2) intrinsics block, as Ceres' BAL example; the poses
    /// move as <paramref name="update"/> says.
    /// </summary>
    public (Problem Problem, PoseBlock[] Poses, IntrinsicsBlock[] Intrinsics, PointBlock[] Points) ToProblem(LossFunction? loss = null, PoseUpdate update = DefaultPoseUpdate)
    {
        var problem = new Problem { DefaultLoss = loss };
        var poses = new PoseBlock[Cameras.Length];
        var intrinsics = new IntrinsicsBlock[Cameras.Length];
        for (int i = 0; i < Cameras.Length; i++)
        {
            var c = Cameras[i];
            poses[i] = problem.AddPose(new Se3(So3.Exp(new Vec3(c[0], c[1], c[2])), new Vec3(c[3], c[4], c[5])));
            problem.SetPoseUpdate(poses[i], update);
            intrinsics[i] = problem.AddIntrinsics(BalModel.Instance, new ReadOnlySpan<double>(c, 6, 3));
        }
        // Loops rather than LINQ: a generic instantiation over Vec3 is JIT-compiled in a cold (ReadyToRun) process.
        var points = new PointBlock[Points.Length];
        for (int i = 0; i < points.Length; i++) points[i] = problem.AddPoint(Points[i]);
        foreach (var o in Observations)
            problem.AddObservation(poses[o.Camera], intrinsics[o.Camera], points[o.Point], new Vec2(o.X, o.Y));
        return (problem, poses, intrinsics, points);
    }

    /// <summary>A copy with cameras and points taken from solved blocks.</summary>
    public BalProblem WithSolution(IReadOnlyList<PoseBlock> poses, IReadOnlyList<IntrinsicsBlock> intrinsics, IReadOnlyList<PointBlock> points)
    {
        var cameras = new double[Cameras.Length][];
        for (int i = 0; i < cameras.Length; i++)
        {
            var t = poses[i].CameraFromWorld;
            var aa = So3.Log(t.Rotation);
            var k = intrinsics[i].Values;
            cameras[i] = [aa.X, aa.Y, aa.Z, t.Translation.X, t.Translation.Y, t.Translation.Z, k[0], k[1], k[2]];
        }
        return new BalProblem(cameras, points.Select(p => p.World).ToArray(), Observations);
    }
}
