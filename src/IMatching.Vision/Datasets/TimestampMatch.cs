namespace IMatching.Vision.Datasets;

/// <summary>Pairs a timestamp with the nearest one of another stream (TUM's associate.py rule).</summary>
internal static class TimestampMatch
{
    /// <summary>TUM's recommended maximum difference when pairing streams recorded by one clock.</summary>
    public const double ToleranceSeconds = 0.02;

    /// <summary>Index of the entry of <paramref name="sortedTimes"/> nearest <paramref name="time"/> within the tolerance, or -1.</summary>
    public static int Nearest(IReadOnlyList<double> sortedTimes, double time)
    {
        int lo = 0, hi = sortedTimes.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sortedTimes[mid] < time) lo = mid + 1; else hi = mid;
        }
        int best = -1;
        double bestGap = ToleranceSeconds;
        for (int i = Math.Max(0, lo - 1); i <= Math.Min(sortedTimes.Count - 1, lo); i++)
        {
            double gap = Math.Abs(sortedTimes[i] - time);
            if (gap <= bestGap) (best, bestGap) = (i, gap);
        }
        return best;
    }
}
