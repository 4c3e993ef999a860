namespace IMatching.Geometry.Linear;

/// <summary>
/// Singular value decomposition A = U diag(S) V^T of a 3x3 matrix, singular values in descending order.
/// U and V are orthogonal but may be reflections (det -1); callers that need rotations fix the sign themselves.
/// </summary>
public readonly record struct Svd3(Mat3 U, Vec3 S, Mat3 V)
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// One-sided (Hestenes) Jacobi: rotations applied on the right make the columns of A V mutually orthogonal, so
    /// their norms are the singular values. Unlike an eigen-decomposition of A^T A it never squares the condition
    /// number, so small singular values and their vectors keep full precision.
    /// </summary>
    public static Svd3 Decompose(Mat3 a)
    {
        if (!a.IsFinite) throw new ArgumentException("Matrix has non-finite entries.", nameof(a));
        Span<Vec3> av = [a.Column(0), a.Column(1), a.Column(2)];
        Span<Vec3> v = [new(1, 0, 0), new(0, 1, 0), new(0, 0, 1)];
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < 2; p++)
                for (int q = p + 1; q < 3; q++)
                    rotated |= Orthogonalize(av, v, p, q);
            if (!rotated) break;
        }

        Span<double> s = [av[0].Norm, av[1].Norm, av[2].Norm];
        SortDescending(s, av, v);
        var u = LeftVectors(s, av);
        return new(Mat3.FromColumns(u[0], u[1], u[2]), new(s[0], s[1], s[2]), Mat3.FromColumns(v[0], v[1], v[2]));
    }

    /// <summary>Rotates columns p and q of A V (and of V) so they become orthogonal; false when they already are.</summary>
    private static bool Orthogonalize(Span<Vec3> av, Span<Vec3> v, int p, int q)
    {
        double alpha = av[p].SquaredNorm, beta = av[q].SquaredNorm, gamma = av[p].Dot(av[q]);
        // Relative test: columns orthogonal to working precision stay put, which is what ends the sweeps.
        if (!(Math.Abs(gamma) > 1e-15 * Math.Sqrt(alpha * beta))) return false;
        double zeta = (beta - alpha) / (2 * gamma);
        // The smaller root of t^2 + 2 zeta t - 1 = 0: the rotation angle stays within pi/4, which makes sweeps converge.
        double t = Math.Sign(zeta) is 0 ? 1 : Math.Sign(zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
        double c = 1 / Math.Sqrt(1 + t * t), sn = c * t;
        (av[p], av[q]) = (c * av[p] - sn * av[q], sn * av[p] + c * av[q]);
        (v[p], v[q]) = (c * v[p] - sn * v[q], sn * v[p] + c * v[q]);
        return true;
    }

    private static void SortDescending(Span<double> s, Span<Vec3> av, Span<Vec3> v)
    {
        for (int i = 0; i < 2; i++)
            for (int j = i + 1; j < 3; j++)
                if (s[j] > s[i])
                {
                    (s[i], s[j]) = (s[j], s[i]);
                    (av[i], av[j]) = (av[j], av[i]);
                    (v[i], v[j]) = (v[j], v[i]);
                }
    }

    /// <summary>
    /// Normalised columns of A V. A column whose singular value is at round-off level has no reliable direction, so it
    /// is completed from the others instead, which keeps U orthogonal for rank-deficient A.
    /// </summary>
    private static Vec3[] LeftVectors(ReadOnlySpan<double> s, ReadOnlySpan<Vec3> av)
    {
        double negligible = 1e-13 * s[0];
        var u = new Vec3[3];
        u[0] = s[0] > 0 ? av[0] / s[0] : new Vec3(1, 0, 0);
        u[1] = s[1] > negligible ? av[1] / s[1] : AnyPerpendicular(u[0]);
        u[2] = s[2] > negligible ? av[2] / s[2] : u[0].Cross(u[1]);
        return u;
    }

    private static Vec3 AnyPerpendicular(Vec3 n)
    {
        // Cross with the axis least aligned with n, so the result is far from zero.
        var axis = Math.Abs(n.X) <= Math.Abs(n.Y) && Math.Abs(n.X) <= Math.Abs(n.Z) ? new Vec3(1, 0, 0)
            : Math.Abs(n.Y) <= Math.Abs(n.Z) ? new Vec3(0, 1, 0) : new Vec3(0, 0, 1);
        return n.Cross(axis).Normalized();
    }
}
