using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Mapping;

/// <summary>
/// Runs this project's BA over the map: registered poses (all, or only a window of them free),
/// landmarks and inlier features, intrinsics constant. The first initial frame is held constant and the
/// second keeps its distance to it, so the gauge of the initialisation is preserved.
/// </summary>
internal static class MapBundleAdjuster
{
    public static Summary? Run(MapState map, int anchorFrame, int scaleFrame, ISet<int>? freeFrames, MapperOptions options, bool final = false)
    {
        var problem = new Problem { DefaultLoss = options.Loss };
        var intrinsics = new Dictionary<PinholeCamera, IntrinsicsBlock>();
        var poses = new PoseBlock?[map.Poses.Length];
        for (int f = 0; f < map.Poses.Length; f++)
        {
            if (map.Poses[f] is not { } pose) continue;
            poses[f] = problem.AddPose(pose);
            if (f == anchorFrame || (freeFrames is not null && !freeFrames.Contains(f))) problem.SetConstant(poses[f]!);
        }
        if (poses[scaleFrame] is { IsConstant: false } scalePose) problem.FixScale(poses[anchorFrame]!, scalePose);

        var points = new (int Track, PointBlock Block)[map.Tracks.Count];
        int used = 0;
        for (int t = 0; t < map.Tracks.Count; t++)
        {
            if (map.Landmarks[t] is not { } x) continue;
            var features = map.Tracks[t].Where(f => map.FeatureInlier[f]).ToArray();
            if (freeFrames is not null && !features.Any(f => freeFrames.Contains(map.Features.Frame[f]))) continue;
            var point = problem.AddPoint(x);
            foreach (var f in features)
            {
                int frame = map.Features.Frame[f];
                var camera = map.Cameras[frame];
                if (!intrinsics.TryGetValue(camera, out var k))
                {
                    k = problem.AddIntrinsics(BrownConradyModel.Instance, camera.ToParameters());
                    problem.SetConstant(k);
                    intrinsics[camera] = k;
                }
                // One residual per correspondence end, at its own pixel: the BA objective is then a sum over
                // the matcher's outputs, and its gradient with respect to each prediction is exact.
                foreach (var source in map.Features.Sources[f])
                    problem.AddObservation(poses[frame]!, k, point, source.PixelPx, options.ObservationWeight(source.Confidence));
            }
            points[used++] = (t, point);
        }
        if (problem.Observations.Count == 0) return null;
        var summary = Solver.Solve(problem, new SolverOptions
        {
            MaxIterations = freeFrames is null ? options.BundleAdjustmentIterations : options.LocalBundleAdjustmentIterations,
            FunctionTolerance = final ? options.FinalFunctionTolerance : new SolverOptions().FunctionTolerance,
            NumThreads = options.NumThreads,
        });
        if (!summary.IsUsable) return summary;
        for (int f = 0; f < poses.Length; f++) if (poses[f] is { } p) map.Poses[f] = p.CameraFromWorld;
        for (int i = 0; i < used; i++) map.Landmarks[points[i].Track] = points[i].Block.World;
        return summary;
    }
}
