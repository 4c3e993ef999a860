namespace IMatching.Vision.Evaluation;

/// <summary>
/// One model's scores over all pairs. MMA and epipolar precision are averaged over the pairs of each dataset,
/// then over datasets, so a long sequence does not outweigh a short one; pairs without a value are left out
/// and a curve no pair has is null. Pose AUC integrates the pooled errors of every pair with poses.
/// </summary>
public sealed record EvaluationSummary(int Pairs, double[]? Mma, double[]? Epipolar, double[]? Auc, double MatchesPerPair, double SecondsPerPair)
{
    public static EvaluationSummary Aggregate(IReadOnlyList<PairResult> results)
    {
        var poseErrors = results.Select(r => r.Metrics.PoseErrorDegrees).OfType<double>().ToArray();
        return new EvaluationSummary(
            results.Count,
            MeanOfDatasetMeans(results, r => r.Metrics.Mma),
            MeanOfDatasetMeans(results, r => r.Metrics.Epipolar),
            poseErrors.Length == 0 ? null : PoseAuc.Compute(poseErrors, MetricThresholds.Degrees),
            results.Count == 0 ? 0 : results.Average(r => r.Matches.Count),
            results.Count == 0 ? 0 : results.Average(r => r.Seconds));
    }

    private static double[]? MeanOfDatasetMeans(IReadOnlyList<PairResult> results, Func<PairResult, double[]?> curve)
    {
        var perDataset = results.GroupBy(r => r.Pair.Dataset)
            .Select(g => Mean(g.Select(curve).OfType<double[]>().ToList()))
            .OfType<double[]>()
            .ToList();
        return Mean(perDataset);
    }

    private static double[]? Mean(IReadOnlyList<double[]> curves)
    {
        if (curves.Count == 0) return null;
        var mean = new double[curves[0].Length];
        foreach (var c in curves)
            for (int t = 0; t < mean.Length; t++) mean[t] += c[t] / curves.Count;
        return mean;
    }
}
