using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.MultiView;

/// <summary>
/// The essential matrix of two calibrated views, x_b^T E x_a = 0 for normalised points, with E = [t]x R
/// for the pose bFromA. Estimation by the linear eight-point method, projection onto the essential
/// manifold, Sampson error and pose recovery with the cheirality test.
/// </summary>
public static class EssentialMatrix
{
    /// <summary>Least-squares eight-point estimate from the listed matches (at least 8), projected onto the essential manifold.</summary>
    public static Mat3? Fit(ReadOnlySpan<Vec2> xa, ReadOnlySpan<Vec2> xb, ReadOnlySpan<int> indices)
    {
        if (indices.Length < 8) return null;
        Span<double> ata = stackalloc double[81];
        Span<double> row = stackalloc double[9];
        ata.Clear();
        foreach (int i in indices)
        {
            Row(xa[i], xb[i], row);
            for (int r = 0; r < 9; r++)
            {
                double v = row[r];
                for (int c = r; c < 9; c++) ata[r * 9 + c] += v * row[c];
            }
        }
        for (int r = 0; r < 9; r++) for (int c = 0; c < r; c++) ata[r * 9 + c] = ata[c * 9 + r];
        Span<double> values = stackalloc double[9];
        Span<double> vectors = stackalloc double[81];
        SymmetricEigen.Decompose(ata, 9, values, vectors);
        var e = new Mat3(vectors[0], vectors[9], vectors[18], vectors[27], vectors[36], vectors[45], vectors[54], vectors[63], vectors[72]);
        return ProjectToEssential(e);
    }

    /// <summary>
    /// Exact eight-point solution: the null vector of the 8x9 constraint matrix by Gaussian elimination
    /// with full pivoting (a few hundred flops, against an eigen-solve for the least-squares fit).
    /// </summary>
    public static Mat3? FitMinimal(ReadOnlySpan<Vec2> xa, ReadOnlySpan<Vec2> xb, ReadOnlySpan<int> sample)
    {
        Span<double> m = stackalloc double[72];
        for (int r = 0; r < 8; r++) Row(xa[sample[r]], xb[sample[r]], m.Slice(9 * r, 9));
        Span<int> columnOrder = stackalloc int[9];
        for (int c = 0; c < 9; c++) columnOrder[c] = c;
        for (int k = 0; k < 8; k++)
        {
            int pr = k, pc = k;
            double best = 0;
            for (int r = k; r < 8; r++)
                for (int c = k; c < 9; c++)
                    if (Math.Abs(m[9 * r + c]) > best) { best = Math.Abs(m[9 * r + c]); pr = r; pc = c; }
            if (best < 1e-12) return null;
            if (pr != k) for (int c = 0; c < 9; c++) (m[9 * k + c], m[9 * pr + c]) = (m[9 * pr + c], m[9 * k + c]);
            if (pc != k)
            {
                for (int r = 0; r < 8; r++) (m[9 * r + k], m[9 * r + pc]) = (m[9 * r + pc], m[9 * r + k]);
                (columnOrder[k], columnOrder[pc]) = (columnOrder[pc], columnOrder[k]);
            }
            double inv = 1 / m[9 * k + k];
            for (int r = k + 1; r < 8; r++)
            {
                double f = m[9 * r + k] * inv;
                if (f == 0) continue;
                for (int c = k; c < 9; c++) m[9 * r + c] -= f * m[9 * k + c];
            }
        }
        // Free variable (last column after pivoting) = 1, back-substitute the pivots.
        Span<double> x = stackalloc double[9];
        x[8] = 1;
        for (int k = 7; k >= 0; k--)
        {
            double sum = m[9 * k + 8];
            for (int c = k + 1; c < 8; c++) sum += m[9 * k + c] * x[c];
            x[k] = -sum / m[9 * k + k];
        }
        Span<double> e = stackalloc double[9];
        for (int c = 0; c < 9; c++) e[columnOrder[c]] = x[c];
        return ProjectToEssential(new Mat3(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8]));
    }

    /// <summary>The nearest essential matrix: singular values (1, 1, 0).</summary>
    public static Mat3? ProjectToEssential(Mat3 e)
    {
        if (!e.IsFinite || e.FrobeniusNorm == 0) return null;
        var svd = Svd3.Decompose(e);
        return svd.U * Mat3.Diagonal(1, 1, 0) * svd.V.Transpose();
    }

    public static Mat3 FromPose(Se3 bFromA) => Mat3.Hat(bFromA.Translation) * bFromA.Rotation;

    /// <summary>Squared Sampson distance of a match in normalised units: the first-order geometric error.</summary>
    public static double SampsonSquared(Mat3 e, Vec2 a, Vec2 b)
    {
        var ha = new Vec3(a.X, a.Y, 1);
        var hb = new Vec3(b.X, b.Y, 1);
        var ea = e * ha;
        var etb = e.TransposeTimes(hb);
        double num = hb.Dot(ea);
        double den = ea.X * ea.X + ea.Y * ea.Y + etb.X * etb.X + etb.Y * etb.Y;
        return den > 0 ? num * num / den : double.PositiveInfinity;
    }

    /// <summary>
    /// The pose bFromA (|t| = 1) among the four decompositions of E that puts most inlier matches in
    /// front of both cameras; <paramref name="inFront"/> marks those matches.
    /// </summary>
    public static (Se3 BFromA, int InFront) RecoverPose(Mat3 e, ReadOnlySpan<Vec2> xa, ReadOnlySpan<Vec2> xb, ReadOnlySpan<bool> inliers, Span<bool> inFront)
    {
        var svd = Svd3.Decompose(e);
        var u = svd.U;
        var v = svd.V;
        if (u.Determinant < 0) u = -1 * u;
        if (v.Determinant < 0) v = -1 * v;
        var w = new Mat3(0, -1, 0, 1, 0, 0, 0, 0, 1);
        var r1 = u * w * v.Transpose();
        var r2 = u * w.Transpose() * v.Transpose();
        var t = u.Column(2);
        Span<Se3> candidates = [new(r1, t), new(r1, -t), new(r2, t), new(r2, -t)];
        int best = -1, bestCount = -1;
        for (int k = 0; k < 4; k++)
        {
            int count = CountInFront(candidates[k], xa, xb, inliers, default);
            if (count > bestCount) { best = k; bestCount = count; }
        }
        CountInFront(candidates[best], xa, xb, inliers, inFront);
        return (candidates[best], bestCount);
    }

    private static int CountInFront(Se3 bFromA, ReadOnlySpan<Vec2> xa, ReadOnlySpan<Vec2> xb, ReadOnlySpan<bool> inliers, Span<bool> flags)
    {
        int count = 0;
        var r = bFromA.Rotation;
        var t = bFromA.Translation;
        for (int i = 0; i < xa.Length; i++)
        {
            bool ok = false;
            if (inliers[i])
            {
                // Depths (za, zb) with zb xb = za R xa + t, by least squares on the two rays.
                var ra = r * new Vec3(xa[i].X, xa[i].Y, 1);
                var hb = new Vec3(xb[i].X, xb[i].Y, 1);
                double a11 = ra.Dot(ra), a12 = -ra.Dot(hb), a22 = hb.Dot(hb);
                double b1 = -ra.Dot(t), b2 = hb.Dot(t);
                double det = a11 * a22 - a12 * a12;
                if (Math.Abs(det) > 1e-14)
                {
                    double za = (b1 * a22 - a12 * b2) / det;
                    double zb = (a11 * b2 - a12 * b1) / det;
                    ok = za > 0 && zb > 0;
                }
            }
            if (ok) count++;
            if (!flags.IsEmpty) flags[i] = ok;
        }
        return count;
    }

    private static void Row(Vec2 a, Vec2 b, Span<double> row)
    {
        row[0] = b.X * a.X; row[1] = b.X * a.Y; row[2] = b.X;
        row[3] = b.Y * a.X; row[4] = b.Y * a.Y; row[5] = b.Y;
        row[6] = a.X; row[7] = a.Y; row[8] = 1;
    }
}
