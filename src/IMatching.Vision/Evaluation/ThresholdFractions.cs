namespace IMatching.Vision.Evaluation;

/// <summary>Fractions of per-match errors at or under each threshold: the curve behind MMA and epipolar precision.</summary>
public static class ThresholdFractions
{
    /// <summary>
    /// NaN errors mark matches the ground truth cannot judge (e.g. no depth) and are left out. A pair without
    /// matches scores 0 at every threshold (a matcher that finds nothing earns nothing); a pair whose matches
    /// are all unjudgeable has no value (null).
    /// </summary>
    public static double[]? Compute(ReadOnlySpan<double> errors, IReadOnlyList<double> thresholds)
    {
        var fractions = new double[thresholds.Count];
        if (errors.IsEmpty) return fractions;
        int judged = 0;
        foreach (double e in errors)
        {
            if (double.IsNaN(e)) continue;
            judged++;
            for (int t = 0; t < fractions.Length; t++)
                if (e <= thresholds[t]) fractions[t]++;
        }
        if (judged == 0) return null;
        for (int t = 0; t < fractions.Length; t++) fractions[t] /= judged;
        return fractions;
    }
}
