using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Mapping;

/// <summary>
/// The BA objective a map minimised, rebuilt as a <see cref="Problem"/>: the map's poses and landmarks,
/// its inlier observations (one residual per correspondence end, at its pixel), the same robust loss,
/// weights and gauge. The upper level's loss is this objective over the predictions; re-solving it with
/// one pixel moved is how the envelope-theorem gradient is checked.
/// </summary>
public static class MapObjective
{
    /// <summary>The problem, with <paramref name="pixelOf"/> choosing each inlier observation's pixel (default: its own).</summary>
    public static Problem Build(MapResult map, IReadOnlyList<PinholeCamera> cameras, Func<int, MapObservation, Vec2>? pixelOf = null)
    {
        var problem = new Problem { DefaultLoss = LossFunction.Parse(map.RobustLoss) };
        var poses = new PoseBlock?[map.CameraFromWorld.Length];
        for (int f = 0; f < poses.Length; f++)
            if (map.CameraFromWorld[f] is { } pose) poses[f] = problem.AddPose(pose);
        problem.SetConstant(poses[map.InitialFrameA]!);
        problem.FixScale(poses[map.InitialFrameA]!, poses[map.InitialFrameB]!);
        var points = map.Landmarks.Select(problem.AddPoint).ToArray();
        var intrinsics = new Dictionary<PinholeCamera, IntrinsicsBlock>();
        for (int i = 0; i < map.Observations.Length; i++)
        {
            var o = map.Observations[i];
            if (!o.IsInlier) continue;
            var camera = cameras[o.Frame];
            if (!intrinsics.TryGetValue(camera, out var k))
            {
                k = problem.AddIntrinsics(BrownConradyModel.Instance, camera.ToParameters());
                problem.SetConstant(k);
                intrinsics[camera] = k;
            }
            problem.AddObservation(poses[o.Frame]!, k, points[o.Landmark], pixelOf?.Invoke(i, o) ?? o.PixelPx, map.Weights[i]);
        }
        return problem;
    }
}
