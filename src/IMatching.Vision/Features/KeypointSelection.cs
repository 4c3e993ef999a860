using IMatching.Geometry.Linear;

namespace IMatching.Vision.Features;

/// <summary>Picks the points a detector keeps from all it found: inside the margin, unique, strongest first, optionally bucketed.</summary>
public static class KeypointSelection
{
    public static DetectedKeypoints Select(Vec2[] points, double[] scores, int width, int height, KeypointSelectionOptions options)
    {
        if (scores.Length != points.Length) throw new ArgumentException($"{points.Length} points but {scores.Length} scores.", nameof(scores));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);

        double margin = options.BorderMarginPx;
        int[] strongestFirst = Enumerable.Range(0, points.Length)
            .Where(i => points[i].IsFinite && double.IsFinite(scores[i])
                        && points[i].X >= margin && points[i].X <= width - 1 - margin
                        && points[i].Y >= margin && points[i].Y <= height - 1 - margin)
            // Position breaks ties so the result does not depend on the order the detector reported.
            .OrderByDescending(i => scores[i]).ThenBy(i => points[i].Y).ThenBy(i => points[i].X)
            .ToArray();

        // SIFT reports one point per dominant orientation; as query points they are the same point.
        var seen = new HashSet<Vec2>();
        int[] unique = strongestFirst.Where(i => seen.Add(points[i])).ToArray();

        int[] kept = options.Buckets is { } buckets
            ? TakeSpread(unique, points, width, height, buckets, options.MaxCount)
            : unique.Take(options.MaxCount).ToArray();
        return new DetectedKeypoints(kept.Select(i => points[i]).ToArray(), kept.Select(i => scores[i]).ToArray());
    }

    /// <summary>Round-robin over the cells: every cell's k-th strongest before any cell's (k+1)-th; the result stays strongest first.</summary>
    private static int[] TakeSpread(int[] strongestFirst, Vec2[] points, int width, int height, Buckets buckets, int maxCount)
    {
        var takenPerCell = new Dictionary<int, int>();
        var rankInCell = new int[strongestFirst.Length];
        for (int k = 0; k < strongestFirst.Length; k++)
        {
            Vec2 p = points[strongestFirst[k]];
            int column = Math.Min(buckets.Columns - 1, (int)(p.X * buckets.Columns / width));
            int row = Math.Min(buckets.Rows - 1, (int)(p.Y * buckets.Rows / height));
            int cell = row * buckets.Columns + column;
            rankInCell[k] = takenPerCell.GetValueOrDefault(cell);
            takenPerCell[cell] = rankInCell[k] + 1;
        }
        return Enumerable.Range(0, strongestFirst.Length)
            .OrderBy(k => rankInCell[k]).ThenBy(k => k)
            .Take(maxCount)
            .Order()
            .Select(k => strongestFirst[k])
            .ToArray();
    }
}
