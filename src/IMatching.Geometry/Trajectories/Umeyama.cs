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
    /// The transform minimising sum |target_i - (s R source_i + t)|^2, with s fixed at 1 unless <paramref name="withScale"/>.
    /// Refuses fewer than 3 points and collinear or coincident points.
    /// </summary>
    public static Sim3 Align(ReadOnlySpan<Vec3> source, ReadOnlySpan<Vec3> target, bool withScale)
    {
        if (source.Length != target.Length)
            throw new ArgumentException($"Alignment needs corresponding points: {source.Length} source, {target.Length} target.");
        if (source.Length < 3)
            throw new ArgumentException($"Alignment needs at least 3 corresponding points, got {source.Length}.");
        var meanSource = Mean(source);
        var meanTarget = Mean(target);
        var covariance = Mat3.Zero;
        double sourceVariance = 0;
        for (int i = 0; i < source.Length; i++)
        {
            var x = source[i] - meanSource;
            covariance += Mat3.Outer(target[i] - meanTarget, x);
            sourceVariance += x.SquaredNorm;
        }
        if (!covariance.IsFinite) throw new ArgumentException("Alignment points must be finite.");
        covariance = (1.0 / source.Length) * covariance;
        sourceVariance /= source.Length;

        var svd = Svd3.Decompose(covariance);
        if (!(svd.S.Y > CollinearityTolerance * svd.S.X))
            throw new ArgumentException(
                $"Alignment of {source.Length} points is degenerate: they are collinear or coincide, so the rotation is not determined.");
        // The best proper rotation flips the direction of the smallest singular value when U V^T is a reflection.
        double d = svd.U.Determinant * svd.V.Determinant < 0 ? -1 : 1;
        var rotation = svd.U * Mat3.Diagonal(1, 1, d) * svd.V.Transpose();
        double scale = withScale ? (svd.S.X + svd.S.Y + d * svd.S.Z) / sourceVariance : 1;
        return new Sim3(scale, rotation, meanTarget - scale * (rotation * meanSource));
    }

    private static Vec3 Mean(ReadOnlySpan<Vec3> points)
    {
        var sum = Vec3.Zero;
        foreach (var p in points) sum += p;
        return sum / points.Length;
    }
}
