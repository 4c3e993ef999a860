using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Mapping;

/// <summary>
/// The BA objective a map minimised, rebuilt as a <see cref="Problem"/> by the mapper's own
/// <see cref="MapProblemBuilder"/>: the map's poses and landmarks, its inlier observations (one residual per
/// correspondence end, at its pixel), the same robust loss, weights and gauge. The upper level's loss is this
/// objective over the predictions; re-solving it with one pixel moved is how the envelope-theorem gradient is checked.
/// </summary>
public static class MapObjective
{
    /// <summary>The problem, with <paramref name="pixelOf"/> choosing each inlier observation's pixel (default: its own).</summary>
    public static Problem Build(MapResult map, IReadOnlyList<PinholeCamera> cameras, Func<int, MapObservation, Vec2>? pixelOf = null)
    {
        var builder = new MapProblemBuilder(cameras, map.CameraFromWorld, map.Loss, map.InitialFrameA, map.InitialFrameB);
        var points = map.Landmarks.Select(builder.Problem.AddPoint).ToArray();
        for (int i = 0; i < map.Observations.Length; i++)
        {
            var o = map.Observations[i];
            if (o.IsInlier) builder.Observe(o.Frame, points[o.Landmark], pixelOf?.Invoke(i, o) ?? o.PixelPx, o.Weight);
        }
        return builder.Problem;
    }
}
