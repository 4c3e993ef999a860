using IMatching.Geometry.Linear;
using IMatching.Learning.Training;

namespace IMatching.Learning.Pretraining;

/// <summary>Ground truth of a homography pair: where each query of A is in B.</summary>
public static class HomographyTargets
{
    /// <summary>The default margin: half the expectation head's fine window, so a target's whole window lies inside B.</summary>
    public const double DefaultMarginPx = 8;

    /// <summary>
    /// One target (weight 1) per query whose image under <paramref name="bFromA"/> lies at least
    /// <paramref name="marginPx"/> inside B's pixel centres; the others show nothing of A in B, or too little.
    /// </summary>
    /// <param name="pair">Index of the pair in the predictions the targets will be compared with.</param>
    /// <param name="queries">n x 2 pixels in A.</param>
    public static List<PointTarget> Compute(int pair, double[,] queries, Mat3 bFromA, int width, int height, double marginPx = DefaultMarginPx)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(marginPx);
        var targets = new List<PointTarget>();
        for (int i = 0; i < queries.GetLength(0); i++)
        {
            Vec2 b = RandomHomography.Apply(bFromA, new Vec2(queries[i, 0], queries[i, 1]));
            if (b.X >= marginPx && b.Y >= marginPx && b.X <= width - 1 - marginPx && b.Y <= height - 1 - marginPx)
                targets.Add(new PointTarget(pair, i, b, 1));
        }
        return targets;
    }
}
