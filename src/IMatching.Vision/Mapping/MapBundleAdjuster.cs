using IMatching.Geometry.BundleAdjustment;

namespace IMatching.Vision.Mapping;

/// <summary>
/// Runs this project's BA over the map: registered poses (all, or only a window of them free),
/// landmarks and inlier features, intrinsics constant. The first initial frame is held constant and the
/// second keeps its distance to it, so the gauge of the initialisation is preserved.
/// </summary>
internal static class MapBundleAdjuster
{
    /// <param name="trustRegionRadius">Where LM's trust region starts: the radius the previous global BA ended with, or null for Ceres' default.</param>
    public static Summary? Run(MapState map, int anchorFrame, int scaleFrame, ISet<int>? freeFrames, MapperOptions options, bool final = false, double? trustRegionRadius = null)
    {
        var builder = new MapProblemBuilder(map.Cameras, map.Poses, options.RobustLoss, anchorFrame, scaleFrame,
            freeFrames is null ? null : freeFrames.Contains);
        var problem = builder.Problem;
        var points = new (int Track, PointBlock Block)[map.Tracks.Count];
        int used = 0;
        for (int t = 0; t < map.Tracks.Count; t++)
        {
            if (map.Landmarks[t] is not { } x) continue;
            var track = map.Tracks[t];
            if (freeFrames is not null && !HasInlierIn(map, track, freeFrames)) continue;
            var point = problem.AddPoint(x);
            // One residual per correspondence end, at its own pixel: the BA objective is then a sum over
            // the matcher's outputs, and its gradient with respect to each prediction is exact. Ends at the same pixel
            // with the same weight (a frame's query matched in two pairs) are one residual counted as often as they occur.
            foreach (int f in track)
            {
                if (!map.FeatureInlier[f]) continue;
                for (int r = map.ResidualStart[f]; r < map.ResidualStart[f + 1]; r++)
                    builder.Observe(map.Features.Frame[f], point, map.Residuals[r].PixelPx, map.Residuals[r].Weight, map.Residuals[r].Multiplicity);
            }
            points[used++] = (t, point);
        }
        if (problem.Observations.Count == 0) return null;
        var solverOptions = new SolverOptions
        {
            MaxIterations = final ? options.FinalBundleAdjustmentIterations
                : freeFrames is null ? options.BundleAdjustmentIterations : options.LocalBundleAdjustmentIterations,
            FunctionTolerance = final ? options.FinalFunctionTolerance : options.RoundFunctionTolerance,
            ConvergenceGradientRatio = final ? options.FinalGradientRatio : null,
            // Warm-started from the last round, the final solve is near its optimum: the exact robust curvature
            // makes it converge quadratically instead of IRLS's linear rate.
            RobustCurvature = final,
            EmbeddedPointIterations = final ? options.FinalEmbeddedPointIterations : 0,
            NumThreads = options.NumThreads,
        };
        if (trustRegionRadius is > 0 and < double.PositiveInfinity) solverOptions = solverOptions with { InitialTrustRegionRadius = trustRegionRadius.Value };
        var summary = Solver.Solve(problem, solverOptions);
        if (!summary.IsUsable) return summary;
        for (int f = 0; f < builder.Poses.Length; f++) if (builder.Poses[f] is { } p) map.Poses[f] = p.CameraFromWorld;
        for (int i = 0; i < used; i++) map.Landmarks[points[i].Track] = points[i].Block.World;
        return summary;
    }

    /// <summary>Whether an inlier feature of the track lies in one of <paramref name="frames"/> (a loop: this runs per track, five times a mapping).</summary>
    private static bool HasInlierIn(MapState map, int[] track, ISet<int> frames)
    {
        foreach (int f in track)
            if (map.FeatureInlier[f] && frames.Contains(map.Features.Frame[f])) return true;
        return false;
    }
}
