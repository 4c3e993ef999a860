using System.Runtime.Intrinsics;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.MultiView;

/// <summary>The essential matrix RANSAC found and which matches agree with it.</summary>
public sealed record EssentialEstimate(Mat3 E, bool[] Inliers, int InlierCount, int Iterations);

/// <summary>
/// Eight-point RANSAC for the essential matrix with MSAC scoring and local optimisation (re-fit on
/// the inliers whenever the best model improves). An eight-point sample costs a 9x9 eigen-solve,
/// far less than a five-point solve, which pays for the larger number of samples. Deterministic per seed.
/// </summary>
public static class EssentialRansac
{
    public static EssentialEstimate? Estimate(ReadOnlySpan<Vec2> xa, ReadOnlySpan<Vec2> xb, double thresholdNormalized,
        double confidence = 0.999, int maxIterations = 2000, int seed = 0)
    {
        int n = xa.Length;
        if (n < 8 || xb.Length != n) return null;
        var rng = new Random(seed);
        double t2 = thresholdNormalized * thresholdNormalized;
        Span<int> sample = stackalloc int[8];
        Mat3? best = null;
        double bestScore = double.PositiveInfinity;
        int bestCount = 0;
        var inlierIndices = new int[n];
        var distances = new SampsonDistances(xa, xb);
        int iterations = 0, needed = maxIterations;
        for (; iterations < needed && iterations < maxIterations; iterations++)
        {
            RansacSampling.Sample(rng, n, sample);
            if (EssentialMatrix.FitMinimal(xa, xb, sample) is not { } e) continue;
            var (score, count) = Score(e, distances, t2, bestScore);
            if (score >= bestScore) continue;
            // Local optimisation: re-fit on the inliers while that lowers the score.
            for (int lo = 0; lo < 3; lo++)
            {
                int m = Inliers(e, distances, t2, inlierIndices);
                if (EssentialMatrix.Fit(xa, xb, inlierIndices.AsSpan(0, m)) is not { } refined) break;
                var (refinedScore, refinedCount) = Score(refined, distances, t2, score);
                if (refinedScore >= score) break;
                (e, score, count) = (refined, refinedScore, refinedCount);
            }
            (best, bestScore, bestCount) = (e, score, count);
            needed = RansacSampling.IterationsNeeded((double)bestCount / n, 8, confidence, maxIterations);
        }
        if (best is not { } model) return null;
        var flags = new bool[n];
        int inlierCount = Inliers(model, distances, t2, inlierIndices);
        for (int k = 0; k < inlierCount; k++) flags[inlierIndices[k]] = true;
        return new EssentialEstimate(model, flags, inlierCount, iterations);
    }

    /// <summary>MSAC score; stops early once it cannot beat <paramref name="bound"/>, which most samples cannot.</summary>
    private static (double Score, int Count) Score(Mat3 e, SampsonDistances distances, double t2, double bound)
    {
        double score = 0;
        int count = 0;
        for (int first = 0; first < distances.Count; first += 4)
        {
            var four = distances.Four(e, first);
            // Summed one match at a time, in order, so the total and the early exit are those of a plain loop.
            if (Add(four.GetElement(0), t2, ref score, ref count) >= bound) return (double.PositiveInfinity, count);
            if (first + 1 == distances.Count) break;
            if (Add(four.GetElement(1), t2, ref score, ref count) >= bound) return (double.PositiveInfinity, count);
            if (first + 2 == distances.Count) break;
            if (Add(four.GetElement(2), t2, ref score, ref count) >= bound) return (double.PositiveInfinity, count);
            if (first + 3 == distances.Count) break;
            if (Add(four.GetElement(3), t2, ref score, ref count) >= bound) return (double.PositiveInfinity, count);
        }
        return (score, count);
    }

    private static double Add(double d, double t2, ref double score, ref int count)
    {
        if (d <= t2) { score += d; count++; }
        else score += t2;
        return score;
    }

    private static int Inliers(Mat3 e, SampsonDistances distances, double t2, int[] indices)
    {
        int m = 0;
        for (int first = 0; first < distances.Count; first += 4)
        {
            var four = distances.Four(e, first);
            for (int k = 0, end = Math.Min(4, distances.Count - first); k < end; k++)
                if (four[k] <= t2) indices[m++] = first + k;
        }
        return m;
    }
}
