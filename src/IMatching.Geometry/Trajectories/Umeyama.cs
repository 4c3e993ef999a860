using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Trajectories;

/// <summary>
/// Least-squares similarity (or rigid) transform between corresponding point sets in closed form
/// (Umeyama 1991, "Least-squares estimation of transformation parameters between two point patterns").
/// </summary>
public static class Umeyama
{
    /// <summary>
    /// Below this ratio of the second to the largest singular value of the cross-covariance the points are treated as
    /// collinear: the rotation about their line is then not determined by the data.
    /// </summary>
    public const double CollinearityTolerance = 1e-10;

    /// <summary>
    /// Below this ratio of a point set's spread (RMS distance from its mean) to its size (distance of the mean from
    /// the origin plus the spread) the points are treated as one point: their scale and rotation are then noise.
    /// </summary>
    public const double CoincidenceTolerance = 1e-9;

    /// <summary>
    /// The transform minimising sum |target_i - (s R source_i + t)|^2, with s fixed at 1 unless <paramref name="withScale"/>.
    /// Refuses fewer than 3 points and collinear or coincident points (see <see cref="Degeneracy"/>).
    /// </summary>
    public static Sim3 Align(ReadOnlySpan<Vec3> source, ReadOnlySpan<Vec3> target, bool withScale)
    {
        if (source.Length != target.Length)
            throw new ArgumentException($"Alignment needs corresponding points: {source.Length} source, {target.Length} target.");
        var moments = Moments.Of(source, target);
        if (moments.Degeneracy("source points", "target points") is { } reason) throw new ArgumentException($"Alignment of {source.Length} points is degenerate: {reason}.");
        var svd = moments.Svd;
        // The best proper rotation flips the direction of the smallest singular value when U V^T is a reflection.
        double d = svd.U.Determinant * svd.V.Determinant < 0 ? -1 : 1;
        var rotation = svd.U * Mat3.Diagonal(1, 1, d) * svd.V.Transpose();
        double scale = withScale ? (svd.S.X + svd.S.Y + d * svd.S.Z) / moments.SourceVariance : 1;
        return new Sim3(scale, rotation, moments.MeanTarget - scale * (rotation * moments.MeanSource));
    }

    /// <summary>
    /// Why <see cref="Align"/> would refuse these corresponding points (fewer than 3, non-finite, one set coinciding
    /// in a single point, or collinear), or null when they can be aligned. Lets a caller holding user data report the
    /// problem as bad input before aligning.
    /// </summary>
    public static string? Degeneracy(ReadOnlySpan<Vec3> source, ReadOnlySpan<Vec3> target, string sourceName = "source points", string targetName = "target points") =>
        source.Length != target.Length
            ? $"{source.Length} {sourceName} but {target.Length} {targetName}"
            : Moments.Of(source, target).Degeneracy(sourceName, targetName);

    /// <summary>Means, spreads and cross-covariance of two corresponding point sets, with the SVD of the latter.</summary>
    private sealed record Moments(int Count, Vec3 MeanSource, Vec3 MeanTarget, double SourceVariance, double TargetVariance, bool Finite, Svd3 Svd)
    {
        public static Moments Of(ReadOnlySpan<Vec3> source, ReadOnlySpan<Vec3> target)
        {
            if (source.Length < 3) return new(source.Length, default, default, 0, 0, true, default);
            var meanSource = Mean(source);
            var meanTarget = Mean(target);
            var covariance = Mat3.Zero;
            double sourceVariance = 0, targetVariance = 0;
            for (int i = 0; i < source.Length; i++)
            {
                var x = source[i] - meanSource;
                var y = target[i] - meanTarget;
                covariance += Mat3.Outer(y, x);
                sourceVariance += x.SquaredNorm;
                targetVariance += y.SquaredNorm;
            }
            covariance = (1.0 / source.Length) * covariance;
            bool finite = covariance.IsFinite && double.IsFinite(sourceVariance + targetVariance);
            return new(source.Length, meanSource, meanTarget, sourceVariance / source.Length, targetVariance / source.Length, finite,
                finite ? Svd3.Decompose(covariance) : default);
        }

        public string? Degeneracy(string sourceName, string targetName)
        {
            if (Count < 3) return $"it needs at least 3 corresponding points, got {Count}";
            if (!Finite) return "the points must be finite";
            if (Coincide(MeanSource, SourceVariance)) return $"the {sourceName} coincide (no spread to align)";
            if (Coincide(MeanTarget, TargetVariance)) return $"the {targetName} coincide (no spread to align)";
            if (!(Svd.S.Y > CollinearityTolerance * Svd.S.X)) return "the points are collinear or coincide, so the rotation is not determined";
            return null;
        }

        private static bool Coincide(Vec3 mean, double variance)
        {
            double spread = Math.Sqrt(variance);
            return !(spread > CoincidenceTolerance * (mean.Norm + spread));
        }
    }

    private static Vec3 Mean(ReadOnlySpan<Vec3> points)
    {
        var sum = Vec3.Zero;
        foreach (var p in points) sum += p;
        return sum / points.Length;
    }
}
