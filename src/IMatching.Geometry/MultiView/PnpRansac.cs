using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.MultiView;

/// <summary>The pose PnP RANSAC found (cameraFromWorld) and which 2-D/3-D matches agree with it.</summary>
public sealed record PnpEstimate(Se3 CameraFromWorld, bool[] Inliers, int InlierCount, int Iterations);

/// <summary>
/// RANSAC over the <see cref="P3p"/> minimal solver: samples of three matches, every pose of a sample scored by
/// its inlier count (reprojection error within the threshold and the point in front of the camera), the sample
/// count adapted to the best inlier ratio so far, then a few Gauss-Newton steps on the inliers' reprojection
/// error (kept only when they do not lose inliers). Deterministic per seed.
/// </summary>
public static class PnpRansac
{
    private const int SampleSize = 3;

    /// <summary>
    /// Pose from <paramref name="world"/> points and their normalised image points (x/z, y/z); the threshold is on
    /// the reprojection error in the same normalised units. Null for fewer than four matches or when no sample
    /// gives a pose.
    /// </summary>
    public static PnpEstimate? Estimate(ReadOnlySpan<Vec3> world, ReadOnlySpan<Vec2> normalized, double thresholdNormalized,
        double confidence = 0.999, int maxIterations = 1000, int seed = 0, bool refine = true)
    {
        int n = world.Length;
        if (n < 4 || normalized.Length != n) return null;
        var rng = new Random(seed);
        double t2 = thresholdNormalized * thresholdNormalized;
        Span<int> sample = stackalloc int[SampleSize];
        Span<Se3> poses = stackalloc Se3[P3p.MaxSolutions];
        Se3? best = null;
        int bestCount = 0;
        int iterations = 0, needed = maxIterations;
        for (; iterations < needed && iterations < maxIterations; iterations++)
        {
            RansacSampling.Sample(rng, n, sample);
            int solutions = P3p.Solve(Bearing(normalized[sample[0]]), Bearing(normalized[sample[1]]), Bearing(normalized[sample[2]]),
                world[sample[0]], world[sample[1]], world[sample[2]], poses);
            for (int k = 0; k < solutions; k++)
            {
                int count = CountInliers(poses[k], world, normalized, t2, bestCount);
                if (count <= bestCount) continue;
                (best, bestCount) = (poses[k], count);
                needed = RansacSampling.IterationsNeeded((double)bestCount / n, SampleSize, confidence, maxIterations);
            }
        }
        if (best is not { } pose) return null;
        var flags = new bool[n];
        int inlierCount = Classify(pose, world, normalized, t2, flags);
        if (refine)
        {
            // Refine on the inliers, re-classify, and once more on the new set: the second pass rarely moves anything.
            var refinedFlags = new bool[n];
            for (int round = 0; round < 2; round++)
            {
                var refined = Refine(pose, world, normalized, flags);
                int refinedCount = Classify(refined, world, normalized, t2, refinedFlags);
                if (refinedCount < inlierCount) break;
                bool same = refinedFlags.AsSpan().SequenceEqual(flags);
                (pose, inlierCount) = (refined, refinedCount);
                refinedFlags.AsSpan().CopyTo(flags);
                if (same) break;
            }
        }
        return new PnpEstimate(pose, flags, inlierCount, iterations);
    }

    private static Vec3 Bearing(Vec2 x) => new(x.X, x.Y, 1);

    /// <summary>
    /// Whether a match agrees with the pose: in front of the camera, and |(X/Z, Y/Z) - x|² ≤ t², tested as
    /// |(X - xZ, Y - yZ)|² ≤ t² Z² so that no division is needed.
    /// </summary>
    private static bool IsInlier(Se3 cameraFromWorld, Vec3 world, Vec2 x, double t2)
    {
        var p = cameraFromWorld.Act(world);
        if (!(p.Z > 0)) return false;
        double ex = p.X - x.X * p.Z, ey = p.Y - x.Y * p.Z;
        return ex * ex + ey * ey <= t2 * p.Z * p.Z;
    }

    /// <summary>Inlier count; gives up (returning at most <paramref name="bound"/>) once the rest cannot lift it above the bound.</summary>
    private static int CountInliers(Se3 pose, ReadOnlySpan<Vec3> world, ReadOnlySpan<Vec2> normalized, double t2, int bound)
    {
        int count = 0, n = world.Length;
        for (int i = 0; i < n; i++)
        {
            if (IsInlier(pose, world[i], normalized[i], t2)) count++;
            else if (count + (n - 1 - i) <= bound) return count;
        }
        return count;
    }

    private static int Classify(Se3 pose, ReadOnlySpan<Vec3> world, ReadOnlySpan<Vec2> normalized, double t2, bool[] flags)
    {
        int count = 0;
        for (int i = 0; i < world.Length; i++)
        {
            flags[i] = IsInlier(pose, world[i], normalized[i], t2);
            if (flags[i]) count++;
        }
        return count;
    }

    /// <summary>
    /// Gauss-Newton on the squared reprojection error of the flagged matches over the left perturbation
    /// Exp(δ) * pose; stops when a step no longer lowers the cost. The mapper's bundle adjustment refines further,
    /// so this only has to bring the minimal-sample pose close to the inliers' optimum.
    /// </summary>
    internal static Se3 Refine(Se3 pose, ReadOnlySpan<Vec3> world, ReadOnlySpan<Vec2> normalized, ReadOnlySpan<bool> use, int maxIterations = 10)
    {
        Span<double> h = stackalloc double[36];
        Span<double> g = stackalloc double[6];
        Span<double> step = stackalloc double[6];
        Span<double> j = stackalloc double[12];
        double cost = Cost(pose, world, normalized, use);
        for (int it = 0; it < maxIterations && cost > 0; it++)
        {
            h.Clear();
            g.Clear();
            for (int i = 0; i < world.Length; i++)
            {
                if (!use[i]) continue;
                var q = pose.Act(world[i]);
                if (!(q.Z > 0)) continue;
                double iz = 1 / q.Z, u = q.X * iz, v = q.Y * iz;
                double ru = u - normalized[i].X, rv = v - normalized[i].Y;
                // d(u, v)/dq = [1/z, 0, -u/z; 0, 1/z, -v/z] times dq/dδ = [I, -hat(q)].
                j[0] = iz; j[1] = 0; j[2] = -u * iz; j[3] = -u * q.Y * iz; j[4] = q.Z * iz + u * q.X * iz; j[5] = -q.Y * iz;
                j[6] = 0; j[7] = iz; j[8] = -v * iz; j[9] = -q.Z * iz - v * q.Y * iz; j[10] = v * q.X * iz; j[11] = q.X * iz;
                for (int r = 0; r < 6; r++)
                {
                    g[r] += j[r] * ru + j[6 + r] * rv;
                    for (int c = r; c < 6; c++) h[6 * r + c] += j[r] * j[c] + j[6 + r] * j[6 + c];
                }
            }
            for (int r = 0; r < 6; r++) for (int c = 0; c < r; c++) h[6 * r + c] = h[6 * c + r];
            if (!DenseCholesky.Factorize(h, 6)) break;
            DenseCholesky.Solve(h, 6, g, step);
            for (int r = 0; r < 6; r++) step[r] = -step[r];
            var candidate = pose.LeftPlus(step);
            double candidateCost = Cost(candidate, world, normalized, use);
            if (!(candidateCost < cost)) break;
            bool converged = cost - candidateCost <= 1e-10 * cost;
            (pose, cost) = (candidate, candidateCost);
            if (converged) break;
        }
        return pose;
    }

    private static double Cost(Se3 pose, ReadOnlySpan<Vec3> world, ReadOnlySpan<Vec2> normalized, ReadOnlySpan<bool> use)
    {
        double cost = 0;
        for (int i = 0; i < world.Length; i++)
        {
            if (!use[i]) continue;
            var q = pose.Act(world[i]);
            if (!(q.Z > 0)) return double.PositiveInfinity;
            double du = q.X / q.Z - normalized[i].X, dv = q.Y / q.Z - normalized[i].Y;
            cost += du * du + dv * dv;
        }
        return cost;
    }
}
