namespace IMatching.Geometry.Trajectories;

/// <summary>Summary of non-negative error magnitudes, the figures the TUM benchmark scripts print.</summary>
public sealed record ErrorStatistics(int Count, double Rmse, double Mean, double Median, double Max)
{
    public static ErrorStatistics From(IReadOnlyCollection<double> errors)
    {
        if (errors.Count == 0) throw new ArgumentException("Error statistics need at least one error.", nameof(errors));
        var sorted = errors.Order().ToArray();
        int n = sorted.Length;
        double sumSquares = sorted.Sum(e => e * e);
        // The mean of the middle two for an even count, as numpy.median gives.
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return new(n, Math.Sqrt(sumSquares / n), sorted.Average(), median, sorted[^1]);
    }
}
