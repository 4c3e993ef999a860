using IMatching.Geometry;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Mapping;

/// <summary>
/// The lower level of iMatching: turns correspondences over a clip (or a short sequence) into poses
/// and landmarks, robustly, remembering which correspondence every surviving observation came from.
/// Tracks from pairwise matches; initialisation from the pair with most parallax; PnP registration
/// of the other frames in best-next order with local BA; then rounds of global BA and trimming.
/// </summary>
public static class Mapper
{
    public static MappingOutcome Run(IReadOnlyList<PinholeCamera> cameras, IReadOnlyList<Correspondences> pairs, MapperOptions? options = null)
    {
        options ??= new MapperOptions();
        ArgumentNullException.ThrowIfNull(cameras);
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var c in pairs)
            if ((uint)c.FrameA >= (uint)cameras.Count || (uint)c.FrameB >= (uint)cameras.Count)
                throw new ArgumentException($"Pair {c.FrameA}-{c.FrameB} names a frame outside the clip of {cameras.Count}.");
        if (pairs.Sum(p => p.Count) == 0) return new MappingFailure(MappingFailureReason.TooFewMatches, "no correspondences");

        var (init, failure) = TwoViewInitializer.Choose(cameras, pairs, options);
        if (init is null) return failure!;

        var map = new MapState(cameras, new TrackBuilder(cameras, pairs, options.MergeRadiusPx), options.ObservationWeight);
        map.Register(init.FrameA, Geometry.Lie.Se3.Identity);
        map.Register(init.FrameB, init.BFromA);
        double initThresholdPx = Math.Max(options.MaxReprojectionErrorPx, 2 * options.EssentialThresholdPx);
        int landmarks = 0;
        for (int t = 0; t < map.Tracks.Count; t++)
            if (map.Triangulate(t, initThresholdPx, options.MinTriangulationAngleDeg)) landmarks++;
        if (landmarks < options.MinInitialInliers / 2)
            return new MappingFailure(MappingFailureReason.TooFewLandmarks, $"initial pair {init.FrameA}-{init.FrameB} triangulated only {landmarks} landmarks");
        // Each global BA starts LM from the trust region the previous one ended with (a warm start): the map changes
        // little between them, and Ceres' default radius damps the first steps of every round (and of the final BA,
        // where the damping slowed the quadratic convergence the exact robust curvature gives to a linear one).
        var s0 = MapBundleAdjuster.Run(map, init.FrameA, init.FrameB, null, options);
        if (s0 is { IsUsable: false }) return new MappingFailure(MappingFailureReason.BundleAdjustmentFailed, s0.Message);
        double? radius = s0?.FinalTrustRegionRadius;
        RetriangulateAll(map, options);

        int sinceGlobal = 0;
        var failed = new HashSet<int>();
        while (NextFrame(map, failed) is { } frame)
        {
            if (!RegisterFrame(map, frame, options)) { failed.Add(frame); continue; }
            foreach (int t in TracksSeenIn(map, frame)) if (map.Landmarks[t] is null) map.Triangulate(t, options.MaxReprojectionErrorPx, options.MinTriangulationAngleDeg);
            // A clip no longer than the local window gets its BA once all frames are in; a longer
            // sequence needs the local BA to keep the next PnP on a consistent map.
            if (cameras.Count > options.LocalWindow)
            {
                var window = map.RegistrationOrder.Take(map.RegisteredCount).TakeLast(options.LocalWindow).ToHashSet();
                bool global = ++sinceGlobal >= options.GlobalBundleAdjustmentEvery;
                if (global) sinceGlobal = 0;
                var summary = MapBundleAdjuster.Run(map, init.FrameA, init.FrameB, global ? null : window, options, trustRegionRadius: global ? radius : null);
                if (global && summary is { IsUsable: true }) radius = summary.FinalTrustRegionRadius;
            }
            RetriangulateAll(map, options);
        }

        // The map ends on a tight BA, never on a trim: the result is then the optimum of exactly the
        // observations it reports as inliers, which the envelope-theorem gradient relies on.
        Summary? last;
        for (int round = 0; round < options.BundleAdjustmentRounds; round++)
        {
            var summary = MapBundleAdjuster.Run(map, init.FrameA, init.FrameB, null, options, trustRegionRadius: radius);
            if (summary is { IsUsable: false }) return new MappingFailure(MappingFailureReason.BundleAdjustmentFailed, summary.Message);
            if (summary is not null) radius = summary.FinalTrustRegionRadius;
            if (round == options.BundleAdjustmentRounds - 1 || !Trim(map, options)) break;
        }
        // Converge tightly on the final inlier set (from where the rounds left it, so this costs a few steps).
        last = MapBundleAdjuster.Run(map, init.FrameA, init.FrameB, null, options, final: true, trustRegionRadius: radius);
        if (last is { IsUsable: false }) return new MappingFailure(MappingFailureReason.BundleAdjustmentFailed, last.Message);
        if (last is { Termination: not TerminationType.Convergence })
            return new MappingFailure(MappingFailureReason.Unconverged, $"final BA stopped unconverged after {last.Iterations} iterations: {last.Message}");
        return Result(map, init, last?.FinalCost ?? double.NaN, options);
    }

    private static IEnumerable<int> TracksSeenIn(MapState map, int frame)
    {
        for (int t = 0; t < map.Tracks.Count; t++)
            if (Sees(map, map.Tracks[t], frame)) yield return t;
    }

    /// <summary>Whether a feature of <paramref name="track"/> lies in <paramref name="frame"/> (a loop: this runs per track and frame).</summary>
    private static bool Sees(MapState map, int[] track, int frame)
    {
        foreach (int f in track)
            if (map.Features.Frame[f] == frame) return true;
        return false;
    }

    /// <summary>The unregistered frame that sees most landmarks, or null when none is left to try.</summary>
    private static int? NextFrame(MapState map, HashSet<int> failed)
    {
        var counts = new int[map.Poses.Length];
        for (int t = 0; t < map.Tracks.Count; t++)
        {
            if (map.Landmarks[t] is null) continue;
            foreach (int f in map.Tracks[t]) counts[map.Features.Frame[f]]++;
        }
        int? best = null;
        for (int frame = 0; frame < counts.Length; frame++)
            if (map.Poses[frame] is null && !failed.Contains(frame) && (best is null || counts[frame] > counts[best.Value]))
                best = frame;
        return best;
    }

    private static bool RegisterFrame(MapState map, int frame, MapperOptions options)
    {
        var world = new List<Vec3>();
        var normalized = new List<Vec2>();
        for (int t = 0; t < map.Tracks.Count; t++)
        {
            if (map.Landmarks[t] is not { } x) continue;
            foreach (int f in map.Tracks[t])
            {
                if (map.Features.Frame[f] != frame) continue;
                world.Add(x);
                normalized.Add(map.Features.Normalized[f]);
            }
        }
        double threshold = options.PnpThresholdPx / map.Cameras[frame].MeanFocal;
        if (PnpRegistration.Solve(world, normalized, threshold, options.MinPnpInliers) is not { } pnp) return false;
        map.Register(frame, pnp.CameraFromWorld);
        return true;
    }

    /// <summary>
    /// Re-fits every track against the current poses: grows tracks onto new frames and drops what no longer agrees.
    /// Tracks share no feature, and each writes only its own landmark and features' flags, so they are re-fitted in
    /// parallel (consecutive ranges of tracks, one a thread) with the same result.
    /// </summary>
    private static void RetriangulateAll(MapState map, MapperOptions options)
    {
        ForkJoin.Split(map.Tracks.Count, Math.Max(1, Math.Min(options.NumThreads, map.Tracks.Count)), (first, end) =>
        {
            for (int t = (int)first; t < end; t++)
            {
                if (map.Landmarks[t] is { } x) map.Accept(t, x, map.RegisteredFeatures(t), options.MaxReprojectionErrorPx, options.MinTriangulationAngleDeg);
                if (map.Landmarks[t] is null) map.Triangulate(t, options.MaxReprojectionErrorPx, options.MinTriangulationAngleDeg);
            }
        });
    }

    /// <summary>Applies the reprojection, cheirality and parallax checks to every feature; true if anything changed.</summary>
    private static bool Trim(MapState map, MapperOptions options)
    {
        var before = (bool[])map.FeatureInlier.Clone();
        RetriangulateAll(map, options);
        return !before.AsSpan().SequenceEqual(map.FeatureInlier);
    }

    private static MapResult Result(MapState map, TwoViewInitialization init, double finalCost, MapperOptions options)
    {
        var landmarkIndex = new int[map.Tracks.Count];
        var landmarks = new List<Vec3>();
        var observations = new List<MapObservation>();
        for (int t = 0; t < map.Tracks.Count; t++)
        {
            if (map.Landmarks[t] is not { } x) { landmarkIndex[t] = -1; continue; }
            landmarkIndex[t] = landmarks.Count;
            landmarks.Add(x);
            foreach (int f in map.Tracks[t])
            {
                int frame = map.Features.Frame[f];
                if (map.Poses[frame] is null) continue;
                var reprojected = map.Cameras[frame].Project(map.Poses[frame]!.Value.Act(x));
                foreach (var source in map.Features.Sources(f))
                {
                    observations.Add(new MapObservation(frame, landmarkIndex[t], source.PixelPx, source.OriginId, source.Side,
                        options.ObservationWeight(source.Confidence), reprojected, (reprojected - source.PixelPx).Norm, map.FeatureInlier[f]));
                }
            }
        }
        return new MapResult(map.Poses.ToArray(), landmarks.ToArray(), observations.ToArray(), init.FrameA, init.FrameB, finalCost, options.RobustLoss);
    }
}
