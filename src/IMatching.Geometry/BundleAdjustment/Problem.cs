using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>
/// A bundle adjustment problem in the manner of Ceres: parameter blocks (poses, points,
/// intrinsics) and reprojection residual blocks that tie them. Solve it with <see cref="Solver.Solve"/>.
/// </summary>
public sealed class Problem
{
    private readonly List<PoseBlock> _poses = [];
    private readonly List<PointBlock> _points = [];
    private readonly List<IntrinsicsBlock> _intrinsics = [];
    private readonly List<Observation> _observations = [];

    public IReadOnlyList<PoseBlock> Poses => _poses;
    public IReadOnlyList<PointBlock> Points => _points;
    public IReadOnlyList<IntrinsicsBlock> Intrinsics => _intrinsics;
    public IReadOnlyList<Observation> Observations => _observations;

    /// <summary>Applied to every observation added without a loss of its own; null is the plain squared loss.</summary>
    public LossFunction? DefaultLoss { get; set; }

    public PoseBlock AddPose(Se3 cameraFromWorld)
    {
        if (!cameraFromWorld.IsFinite) throw new ArgumentException($"Pose {_poses.Count}: cameraFromWorld has a non-finite entry.");
        var block = new PoseBlock(_poses.Count, cameraFromWorld);
        _poses.Add(block);
        return block;
    }

    public PointBlock AddPoint(Vec3 world)
    {
        if (!world.IsFinite) throw new ArgumentException($"Point {_points.Count}: coordinates {world} are not finite.");
        var block = new PointBlock(_points.Count, world);
        _points.Add(block);
        return block;
    }

    public IntrinsicsBlock AddIntrinsics(IProjectionModel model, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (values.Length != model.ParameterNames.Count)
            throw new ArgumentException($"Intrinsics {_intrinsics.Count}: model '{model.Name}' takes {model.ParameterNames.Count} parameters, got {values.Length}.");
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Intrinsics {_intrinsics.Count}: parameter '{model.ParameterNames[i]}' is {values[i]}.");
        var block = new IntrinsicsBlock(_intrinsics.Count, model, values.ToArray());
        _intrinsics.Add(block);
        return block;
    }

    /// <summary>
    /// Adds a reprojection residual; <paramref name="weight"/> multiplies its squared norm, and
    /// <paramref name="multiplicity"/> is how many identical residuals it stands for (it multiplies the robustified cost).
    /// </summary>
    public Observation AddObservation(PoseBlock pose, IntrinsicsBlock intrinsics, PointBlock point, Vec2 observedPx, double weight = 1, LossFunction? loss = null,
        int multiplicity = 1)
    {
        Own(pose, _poses, "pose");
        Own(intrinsics, _intrinsics, "intrinsics");
        Own(point, _points, "point");
        if (!observedPx.IsFinite)
            throw new ArgumentException($"Observation {_observations.Count} (pose {pose.Index}, point {point.Index}): pixel {observedPx} is not finite.");
        if (!(weight > 0) || !double.IsFinite(weight))
            throw new ArgumentException($"Observation {_observations.Count} (pose {pose.Index}, point {point.Index}): weight {weight} must be positive and finite.");
        if (multiplicity < 1)
            throw new ArgumentException($"Observation {_observations.Count} (pose {pose.Index}, point {point.Index}): multiplicity {multiplicity} must be at least 1.");
        var observation = new Observation(pose, intrinsics, point, observedPx, weight, loss, multiplicity);
        _observations.Add(observation);
        return observation;
    }

    public void SetConstant(ParameterBlock block) => block.IsConstant = true;
    public void SetVariable(ParameterBlock block) => block.IsConstant = false;

    /// <summary>How the solver moves <paramref name="pose"/> (Ceres' SetManifold for a pose).</summary>
    public void SetPoseUpdate(PoseBlock pose, PoseUpdate update)
    {
        Own(pose, _poses, "pose");
        // A pattern, not Enum.IsDefined: its generic instantiation would be JIT-compiled in a cold process.
        if (update is not (PoseUpdate.LeftSe3 or PoseUpdate.AngleAxis)) throw new ArgumentOutOfRangeException(nameof(update), update, "Not a pose update.");
        pose.Update = update;
    }

    /// <summary>
    /// Removes the scale gauge freedom: <paramref name="other"/>'s centre stays at its current distance
    /// from <paramref name="anchor"/>'s centre. Together with a constant anchor this fixes the 7-DOF gauge.
    /// </summary>
    public void FixScale(PoseBlock anchor, PoseBlock other)
    {
        Own(anchor, _poses, "pose");
        Own(other, _poses, "pose");
        if (ReferenceEquals(anchor, other)) throw new ArgumentException("FixScale needs two different poses.");
        if ((other.Centre - anchor.Centre).Norm <= 0)
            throw new ArgumentException($"FixScale: poses {anchor.Index} and {other.Index} share a centre, so they define no scale.");
        other.ScaleAnchor = anchor;
    }

    /// <summary>0.5 * sum of multiplicity * rho(squared weighted residual), the quantity the solver minimises.</summary>
    public double EvaluateCost()
    {
        double cost = 0;
        foreach (var o in _observations)
        {
            var e = Residual(o);
            double s = o.Weight * (e.X * e.X + e.Y * e.Y);
            var loss = o.Loss ?? DefaultLoss;
            cost += 0.5 * o.Multiplicity * (loss is null ? s : loss.Evaluate(s).Rho);
        }
        return cost;
    }

    /// <summary>Unweighted pixel residual project(pose * point) - observed.</summary>
    public static Vec2 Residual(Observation o)
    {
        var pc = o.Pose.CameraFromWorld.Act(o.Point.World);
        return o.Intrinsics.Model.Project(o.Intrinsics.Values, pc, default, default) - o.ObservedPx;
    }

    private static void Own<T>(T block, List<T> list, string kind) where T : ParameterBlock
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Index >= list.Count || !ReferenceEquals(list[block.Index], block))
            throw new ArgumentException($"That {kind} block belongs to another problem.");
    }
}
