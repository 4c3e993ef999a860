using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Vision.Mapping;

/// <summary>
/// The one way a map becomes a BA <see cref="Problem"/>, for the mapper's own adjustments and for
/// <see cref="MapObjective"/>: registered poses (those outside <c>freeFrames</c> held constant), the gauge
/// (anchor frame constant, scale frame at its distance from it), constant intrinsics shared per camera, the
/// map's robust loss, and one weighted residual per observation the caller adds.
/// </summary>
internal sealed class MapProblemBuilder
{
    private readonly IReadOnlyList<PinholeCamera> _cameras;
    private readonly Dictionary<PinholeCamera, IntrinsicsBlock> _intrinsics = [];
    /// <summary>Each frame's block once looked up: hashing the camera record per residual was a visible cost.</summary>
    private readonly IntrinsicsBlock?[] _intrinsicsOfFrame;

    public MapProblemBuilder(IReadOnlyList<PinholeCamera> cameras, IReadOnlyList<Se3?> cameraFromWorld, LossFunction? loss,
        int anchorFrame, int scaleFrame, Func<int, bool>? isFree = null)
    {
        _cameras = cameras;
        _intrinsicsOfFrame = new IntrinsicsBlock?[cameras.Count];
        Problem = new Problem { DefaultLoss = loss };
        Poses = new PoseBlock?[cameraFromWorld.Count];
        for (int f = 0; f < Poses.Length; f++)
        {
            if (cameraFromWorld[f] is not { } pose) continue;
            Poses[f] = Problem.AddPose(pose);
            if (f == anchorFrame || (isFree is not null && !isFree(f))) Problem.SetConstant(Poses[f]!);
        }
        if (Poses[anchorFrame] is not { } anchor) throw new ArgumentException($"Map gauge: anchor frame {anchorFrame} is not registered.");
        if (Poses[scaleFrame] is { IsConstant: false } scalePose) Problem.FixScale(anchor, scalePose);
    }

    public Problem Problem { get; }
    public PoseBlock?[] Poses { get; }

    /// <summary>A residual of <paramref name="point"/> seen in <paramref name="frame"/> at <paramref name="pixelPx"/>, standing for <paramref name="multiplicity"/> identical ones.</summary>
    public Observation Observe(int frame, PointBlock point, Vec2 pixelPx, double weight, int multiplicity = 1)
    {
        if (_intrinsicsOfFrame[frame] is not { } k)
        {
            var camera = _cameras[frame];
            if (!_intrinsics.TryGetValue(camera, out k))
            {
                k = Problem.AddIntrinsics(BrownConradyModel.Instance, camera.ToParameters());
                Problem.SetConstant(k);
                _intrinsics[camera] = k;
            }
            _intrinsicsOfFrame[frame] = k;
        }
        return Problem.AddObservation(Poses[frame] ?? throw new ArgumentException($"Frame {frame} is not registered."), k, point, pixelPx, weight,
            multiplicity: multiplicity);
    }
}
