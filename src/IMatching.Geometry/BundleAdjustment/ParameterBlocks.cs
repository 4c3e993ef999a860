using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>Common state of every parameter block: its index in the problem and whether it is held constant.</summary>
public abstract class ParameterBlock
{
    internal ParameterBlock(int index) => Index = index;
    public int Index { get; }
    public bool IsConstant { get; internal set; }
}

/// <summary>
/// A camera pose, stored as <c>cameraFromWorld</c> and updated as its <see cref="Update"/> says (by default on the
/// SE(3) manifold by the left perturbation Exp(delta) * T). A pose tied to an anchor by <see cref="Problem.FixScale"/>
/// keeps its centre at a fixed distance from the anchor's centre (5 degrees of freedom).
/// </summary>
public sealed class PoseBlock : ParameterBlock
{
    internal PoseBlock(int index, Se3 cameraFromWorld) : base(index) => CameraFromWorld = cameraFromWorld;
    public Se3 CameraFromWorld { get; set; }
    public Vec3 Centre => CameraFromWorld.InverseTranslation;

    /// <summary>Set by <see cref="Problem.SetPoseUpdate"/>.</summary>
    public PoseUpdate Update { get; internal set; }

    /// <summary>Set by <see cref="Problem.FixScale"/>: the pose whose centre this one keeps its distance to.</summary>
    public PoseBlock? ScaleAnchor { get; internal set; }
    public int TangentSize => ScaleAnchor is null ? 6 : 5;
}

/// <summary>A 3-D landmark in world coordinates, eliminated by the Schur complement.</summary>
public sealed class PointBlock : ParameterBlock
{
    internal PointBlock(int index, Vec3 world) : base(index) => World = world;
    public Vec3 World { get; set; }
}

/// <summary>Intrinsic parameters of one projection model, shared by every observation that names it.</summary>
public sealed class IntrinsicsBlock : ParameterBlock
{
    internal IntrinsicsBlock(int index, IProjectionModel model, double[] values) : base(index)
    {
        Model = model;
        Values = values;
    }
    public IProjectionModel Model { get; }
    public double[] Values { get; }
}
