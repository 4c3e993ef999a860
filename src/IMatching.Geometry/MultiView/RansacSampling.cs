namespace IMatching.Geometry.MultiView;

/// <summary>Random minimal samples shared by the RANSAC estimators, so that one seed gives one sequence everywhere.</summary>
internal static class RansacSampling
{
    /// <summary>Fills <paramref name="sample"/> with distinct indices in [0, n), by rejection (samples are tiny next to n).</summary>
    public static void Sample(Random rng, int n, Span<int> sample)
    {
        for (int k = 0; k < sample.Length; k++)
        {
            int candidate;
            do candidate = rng.Next(n); while (sample[..k].Contains(candidate));
            sample[k] = candidate;
        }
    }

    /// <summary>
    /// Samples needed to draw one all-inlier sample of <paramref name="sampleSize"/> with the given confidence at
    /// inlier ratio <paramref name="inlierRatio"/>: log(1 - confidence) / log(1 - w^s), capped at <paramref name="maxIterations"/>.
    /// </summary>
    public static int IterationsNeeded(double inlierRatio, int sampleSize, double confidence, int maxIterations)
    {
        double p = Math.Pow(inlierRatio, sampleSize);
        if (p >= 1) return 1;
        if (p <= 0) return maxIterations;
        double needed = Math.Ceiling(Math.Log(1 - confidence) / Math.Log(1 - p));
        return needed >= maxIterations ? maxIterations : (int)needed;
    }
}
