namespace IMatching.Vision.Evaluation;

/// <summary>
/// Area under the cumulative pose-error curve up to each threshold, normalised by it: SuperGlue's
/// <c>pose_auc</c> (trapezoids over the sorted errors, the curve starting at (0, 0) and held flat from
/// the last error under the threshold to the threshold).
/// </summary>
public static class PoseAuc
{
    public static double[] Compute(IReadOnlyCollection<double> errorsDegrees, IReadOnlyList<double> thresholdsDegrees)
    {
        var aucs = new double[thresholdsDegrees.Count];
        if (errorsDegrees.Count == 0) return aucs;
        var sorted = errorsDegrees.Order().ToArray();
        int n = sorted.Length;
        for (int k = 0; k < aucs.Length; k++)
        {
            double threshold = thresholdsDegrees[k];
            double area = 0, previousError = 0, previousRecall = 0;
            for (int i = 0; i < n && sorted[i] < threshold; i++)
            {
                double recall = (i + 1.0) / n;
                area += 0.5 * (recall + previousRecall) * (sorted[i] - previousError);
                (previousError, previousRecall) = (sorted[i], recall);
            }
            area += previousRecall * (threshold - previousError);
            aucs[k] = area / threshold;
        }
        return aucs;
    }
}
