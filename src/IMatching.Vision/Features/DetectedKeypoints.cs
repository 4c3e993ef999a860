using IMatching.Geometry.Linear;

namespace IMatching.Vision.Features;

/// <summary>
/// Query points in pixels (centre of the top-left pixel at (0, 0)), strongest first, with the
/// detector's response for each (its scale depends on the detector; only the order is comparable).
/// </summary>
public sealed record DetectedKeypoints(Vec2[] Points, double[] Scores)
{
    public int Count => Points.Length;
}
