namespace IMatching.Geometry.Trajectories;

/// <summary>Pairs the poses of two trajectories by timestamp, as the TUM benchmark's associate.py does.</summary>
public static class TrajectoryAssociation
{
    public const double DefaultMaxDifferenceSeconds = 0.02;

    /// <summary>
    /// Each pose is used at most once: of all pairs at most <paramref name="maxDifferenceSeconds"/> apart, the closest
    /// in time are taken first. The result is in the estimated trajectory's time order.
    /// </summary>
    public static IReadOnlyList<PosePair> Associate(Trajectory estimated, Trajectory groundTruth,
        double maxDifferenceSeconds = DefaultMaxDifferenceSeconds)
    {
        if (!(maxDifferenceSeconds >= 0) || !double.IsFinite(maxDifferenceSeconds))
            throw new ArgumentOutOfRangeException(nameof(maxDifferenceSeconds), maxDifferenceSeconds, "Maximum time difference must be finite and non-negative.");
        var est = estimated.Poses;
        var gt = groundTruth.Poses;
        var candidates = new List<(double Difference, int Est, int Gt)>();
        int first = 0;
        for (int i = 0; i < est.Count; i++)
        {
            double t = est[i].Timestamp;
            // Both lists are sorted, so the window of ground truth in reach only moves forward.
            while (first < gt.Count && gt[first].Timestamp < t - maxDifferenceSeconds) first++;
            for (int j = first; j < gt.Count && gt[j].Timestamp <= t + maxDifferenceSeconds; j++)
                candidates.Add((Math.Abs(gt[j].Timestamp - t), i, j));
        }
        candidates.Sort();

        var estUsed = new bool[est.Count];
        var gtUsed = new bool[gt.Count];
        var chosen = new List<(int Est, int Gt)>();
        foreach (var (_, i, j) in candidates)
        {
            if (estUsed[i] || gtUsed[j]) continue;
            estUsed[i] = gtUsed[j] = true;
            chosen.Add((i, j));
        }
        chosen.Sort();
        return [.. chosen.Select(c => new PosePair(est[c.Est], gt[c.Gt]))];
    }
}
