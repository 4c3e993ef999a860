using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.MultiView;

/// <summary>
/// The perspective-three-point problem: the poses cameraFromWorld that put three world points on three
/// camera rays, by the Lambda Twist method (Persson and Nordberg, ECCV 2018). The unknowns are the depths
/// Λ = (λ1, λ2, λ3) along the unit bearings y_i; rigidity gives three quadrics |λi yi - λj yj|² = a_ij
/// (a_ij the squared world distances). Two homogeneous combinations of them are conics in the projective
/// plane of Λ; a degenerate member of their pencil (one real root of a cubic) factors into two lines, and
/// each line cuts a conic in at most two points: at most four solutions, with no quartic to solve. The
/// depths are then polished by Gauss-Newton on the three quadrics and the pose follows from the two triangles.
/// </summary>
public static class P3p
{
    /// <summary>At most this many poses come out of one solve.</summary>
    public const int MaxSolutions = 4;

    /// <summary>
    /// The poses cameraFromWorld with <c>bearing_i ∝ R world_i + t</c> and every point in front of the camera
    /// (positive depth), written into <paramref name="solutions"/> (room for <see cref="MaxSolutions"/>); returns
    /// their count. Bearings need not be unit length (a normalised image point (x, y, 1) will do). Degenerate
    /// input — collinear world points, coincident or coplanar-through-the-centre rays — gives no solution.
    /// </summary>
    public static int Solve(Vec3 bearing1, Vec3 bearing2, Vec3 bearing3, Vec3 world1, Vec3 world2, Vec3 world3, Span<Se3> solutions)
    {
        if (solutions.Length < MaxSolutions) throw new ArgumentException($"Room for {MaxSolutions} solutions is needed.", nameof(solutions));
        var d12 = world1 - world2;
        var d13 = world1 - world3;
        var d23 = world2 - world3;
        double a12 = d12.SquaredNorm, a13 = d13.SquaredNorm, a23 = d23.SquaredNorm;
        // Collinear (or coincident) world points: the rays can slide along the line, a one-parameter family.
        if (d12.Cross(d13).SquaredNorm <= 1e-20 * a12 * a13) return 0;
        var y1 = bearing1.Normalized();
        var y2 = bearing2.Normalized();
        var y3 = bearing3.Normalized();
        // Rays in one plane through the centre see the triangle edge-on: the image cannot fix the pose.
        if (Math.Abs(y1.Dot(y2.Cross(y3))) < 1e-12 || !(y1.IsFinite && y2.IsFinite && y3.IsFinite)) return 0;
        double c12 = y1.Dot(y2), c13 = y1.Dot(y3), c23 = y2.Dot(y3);

        // Λᵀ Mij Λ = a_ij with Mij the quadric of the pair (i, j); a23 M12 - a12 M23 and a23 M13 - a13 M23
        // are homogeneous (right-hand side 0): two conics through the true depth ray.
        var m12 = new Mat3(1, -c12, 0, -c12, 1, 0, 0, 0, 0);
        var m13 = new Mat3(1, 0, -c13, 0, 0, 0, -c13, 0, 1);
        var m23 = new Mat3(0, 0, 0, 0, 1, -c23, 0, -c23, 1);
        var d1 = a23 * m12 - a12 * m23;
        var d2 = a23 * m13 - a13 * m23;

        if (!DegenerateMember(d1, d2, out var d0)) return 0;
        if (!LinePair(d0, out var vertex, out var line1, out var line2)) return 0;

        // Λ is scaled so that the sum of the three quadrics matches a12 + a13 + a23: the summed quadric,
        // 3I minus the Gram matrix of the bearings, is positive definite for distinct rays.
        var sumQuadric = m12 + m13 + m23;
        double sumA = a12 + a13 + a23;
        Span<Vec3> rays = stackalloc Vec3[4];
        int rayCount = CutConic(d2, d1, vertex, line1, rays);
        rayCount += CutConic(d2, d1, vertex, line2, rays[rayCount..]);

        int count = 0;
        for (int k = 0; k < rayCount; k++)
        {
            var lambda = rays[k];
            double q = lambda.Dot(sumQuadric * lambda);
            if (!(q > 0)) continue;
            lambda = Math.Sqrt(sumA / q) * lambda;
            if (lambda.X + lambda.Y + lambda.Z < 0) lambda = -lambda;
            if (!(lambda.X > 0 && lambda.Y > 0 && lambda.Z > 0)) continue;
            lambda = RefineDepths(lambda, c12, c13, c23, a12, a13, a23);
            if (!(lambda.X > 0 && lambda.Y > 0 && lambda.Z > 0)) continue;
            if (PoseFromDepths(lambda, y1, y2, y3, world1, d12, d13) is not { } pose) continue;
            if (IsDuplicate(pose, solutions[..count])) continue;
            solutions[count++] = pose;
        }
        return count;
    }

    /// <summary>
    /// A singular member D0 = D1 + γ D2 of the pencil: det(D1 + γ D2) is a cubic in γ, which always has a real root.
    /// Every real root whose D0 is indefinite factors into two real lines through all the real solutions; among
    /// the real roots the one whose two non-zero eigenvalues are most balanced gives the best separated lines.
    /// </summary>
    private static bool DegenerateMember(Mat3 d1, Mat3 d2, out Mat3 d0)
    {
        var (c0, c1, c2, c3) = PencilDeterminant(d1, d2);
        d0 = default;
        double scale = Math.Max(Math.Max(Math.Abs(c0), Math.Abs(c1)), Math.Max(Math.Abs(c2), Math.Abs(c3)));
        if (!(scale > 0) || !double.IsFinite(scale)) return false;
        // A vanishing leading coefficient puts a root at infinity: D2 itself is the degenerate member.
        if (Math.Abs(c3) <= 1e-14 * scale) { d0 = d2; return true; }
        Span<double> roots = stackalloc double[3];
        int n = RealCubicRoots(c2 / c3, c1 / c3, c0 / c3, roots);
        double bestBalance = -1;
        for (int k = 0; k < n; k++)
        {
            var candidate = d1 + roots[k] * d2;
            var (s1, s2) = NonZeroEigenvalues(candidate);
            if (!(s1 * s2 < 0)) continue;
            double balance = Math.Min(Math.Abs(s1), Math.Abs(s2)) / Math.Max(Math.Abs(s1), Math.Abs(s2));
            if (balance > bestBalance) { bestBalance = balance; d0 = candidate; }
        }
        return bestBalance >= 0;
    }

    /// <summary>Coefficients (c0, c1, c2, c3) of det(A + γ B) = c0 + c1 γ + c2 γ² + c3 γ³, by multilinearity in the columns.</summary>
    internal static (double C0, double C1, double C2, double C3) PencilDeterminant(Mat3 a, Mat3 b)
    {
        Vec3 a0 = a.Column(0), a1 = a.Column(1), a2 = a.Column(2);
        Vec3 b0 = b.Column(0), b1 = b.Column(1), b2 = b.Column(2);
        static double Det(Vec3 x, Vec3 y, Vec3 z) => x.Dot(y.Cross(z));
        return (Det(a0, a1, a2),
            Det(b0, a1, a2) + Det(a0, b1, a2) + Det(a0, a1, b2),
            Det(a0, b1, b2) + Det(b0, a1, b2) + Det(b0, b1, a2),
            Det(b0, b1, b2));
    }

    /// <summary>
    /// Real roots of x³ + b x² + c x + d: Cardano when one is real, the trigonometric form when three are,
    /// each polished by two Newton steps (the closed forms lose a few digits near repeated roots).
    /// </summary>
    internal static int RealCubicRoots(double b, double c, double d, Span<double> roots)
    {
        // x = u - b/3 gives the depressed cubic u³ + p u + q.
        double shift = b / 3;
        double p = c - b * shift;
        double q = 2 * shift * shift * shift - c * shift + d;
        double halfQ = q / 2, thirdP = p / 3;
        double discriminant = halfQ * halfQ + thirdP * thirdP * thirdP;
        int n;
        if (discriminant > 0)
        {
            double s = Math.Sqrt(discriminant);
            // Of -q/2 ± s, take the one without cancellation; the other cube root follows from u1 u2 = -p/3.
            double w = Math.Cbrt(-halfQ + (halfQ <= 0 ? s : -s));
            roots[0] = (w == 0 ? 0 : w - thirdP / w) - shift;
            n = 1;
        }
        else
        {
            double r = Math.Sqrt(-thirdP);
            double cosine = r == 0 ? 0 : Math.Clamp(-halfQ / (r * r * r), -1, 1);
            double phi = Math.Acos(cosine) / 3;
            for (int k = 0; k < 3; k++) roots[k] = 2 * r * Math.Cos(phi - 2 * Math.PI * k / 3) - shift;
            n = 3;
        }
        for (int k = 0; k < n; k++)
        {
            double x = roots[k];
            for (int it = 0; it < 2; it++)
            {
                double f = ((x + b) * x + c) * x + d;
                double df = (3 * x + 2 * b) * x + c;
                if (df == 0) break;
                x -= f / df;
            }
            roots[k] = x;
        }
        return n;
    }

    /// <summary>
    /// The two eigenvalues of a singular symmetric 3x3 matrix besides its zero: roots of σ² - tr σ + m, with m the
    /// sum of the principal 2x2 minors (the characteristic polynomial with the zero root divided out).
    /// </summary>
    private static (double S1, double S2) NonZeroEigenvalues(Mat3 m)
    {
        double trace = m.Trace;
        double minors = m.M00 * m.M11 - m.M01 * m.M10 + m.M00 * m.M22 - m.M02 * m.M20 + m.M11 * m.M22 - m.M12 * m.M21;
        double disc = Math.Max(0, trace * trace / 4 - minors);
        double big = trace / 2 + (trace >= 0 ? 1 : -1) * Math.Sqrt(disc);
        return big == 0 ? (0, 0) : (big, minors / big);
    }

    /// <summary>
    /// A rank-2 indefinite D0 = σ1 e1 e1ᵀ + σ2 e2 e2ᵀ (σ1 > 0 > σ2) is (√σ1 e1ᵀΛ)² - (√-σ2 e2ᵀΛ)²: the two lines
    /// √σ1 e1 ∓ √-σ2 e2, which meet at the null vector of D0 (the vertex).
    /// </summary>
    private static bool LinePair(Mat3 d0, out Vec3 vertex, out Vec3 line1, out Vec3 line2)
    {
        line1 = line2 = default;
        vertex = NullVector(d0);
        var (s1, s2) = NonZeroEigenvalues(d0);
        if (s1 < 0) (s1, s2) = (s2, s1);
        if (!(s1 > 0 && s2 < 0) || vertex == Vec3.Zero) return false;
        var e1 = NullVector(d0 - Mat3.Diagonal(s1, s1, s1));
        var e2 = NullVector(d0 - Mat3.Diagonal(s2, s2, s2));
        if (e1 == Vec3.Zero || e2 == Vec3.Zero) return false;
        double r1 = Math.Sqrt(s1), r2 = Math.Sqrt(-s2);
        line1 = r1 * e1 - r2 * e2;
        line2 = r1 * e1 + r2 * e2;
        return true;
    }

    /// <summary>Unit null vector of a rank-2 3x3 matrix: the largest cross product of two of its rows (zero if rank &lt; 2).</summary>
    private static Vec3 NullVector(Mat3 m)
    {
        Vec3 r0 = m.Row(0), r1 = m.Row(1), r2 = m.Row(2);
        var best = r0.Cross(r1);
        var other = r0.Cross(r2);
        if (other.SquaredNorm > best.SquaredNorm) best = other;
        other = r1.Cross(r2);
        if (other.SquaredNorm > best.SquaredNorm) best = other;
        double n2 = best.SquaredNorm;
        return n2 > 0 && double.IsFinite(n2) ? best / Math.Sqrt(n2) : Vec3.Zero;
    }

    /// <summary>
    /// The rays Λ on the plane lineᵀΛ = 0 on the conic ΛᵀCΛ = 0: Λ = u·vertex + v·w with w = line × vertex spanning the
    /// plane, which leaves the homogeneous quadratic A u² + 2B uv + C v² = 0. Its root directions are (q, A) and (C, q)
    /// with q = -(B + sign(B)√(B² - AC)), which needs no division. Uses <paramref name="fallback"/> when the conic
    /// vanishes on the whole line (it then contains the line, and the pencil's other conic does not).
    /// </summary>
    private static int CutConic(Mat3 conic, Mat3 fallback, Vec3 vertex, Vec3 line, Span<Vec3> rays)
    {
        var w = line.Cross(vertex);
        double a = vertex.Dot(conic * vertex), b = vertex.Dot(conic * w), c = w.Dot(conic * w);
        double size = Math.Abs(a) + Math.Abs(b) + Math.Abs(c);
        if (size <= 1e-12 * (conic.FrobeniusNorm * w.SquaredNorm))
        {
            a = vertex.Dot(fallback * vertex); b = vertex.Dot(fallback * w); c = w.Dot(fallback * w);
        }
        double disc = b * b - a * c;
        // A slightly negative discriminant is a tangency blurred by round-off: keep the double root.
        if (disc < 0)
        {
            if (disc < -1e-10 * (b * b + Math.Abs(a * c))) return 0;
            disc = 0;
        }
        double q = -(b + (b >= 0 ? 1 : -1) * Math.Sqrt(disc));
        int n = 0;
        var first = q * vertex + a * w;
        if (first.SquaredNorm > 0) rays[n++] = first;
        var second = c * vertex + q * w;
        if (second.SquaredNorm > 0 && (disc > 0 || n == 0)) rays[n++] = second;
        return n;
    }

    /// <summary>
    /// Gauss-Newton on the three quadrics f_ij = λi² + λj² - 2 c_ij λi λj - a_ij. The closed form is exact in exact
    /// arithmetic, but its cubic and square roots lose digits; a few steps regain them at 3x3 cost.
    /// </summary>
    private static Vec3 RefineDepths(Vec3 lambda, double c12, double c13, double c23, double a12, double a13, double a23)
    {
        for (int it = 0; it < 4; it++)
        {
            double l1 = lambda.X, l2 = lambda.Y, l3 = lambda.Z;
            var r = new Vec3(
                l1 * l1 + l2 * l2 - 2 * c12 * l1 * l2 - a12,
                l1 * l1 + l3 * l3 - 2 * c13 * l1 * l3 - a13,
                l2 * l2 + l3 * l3 - 2 * c23 * l2 * l3 - a23);
            if (r.SquaredNorm <= 1e-30 * (a12 + a13 + a23) * (a12 + a13 + a23)) break;
            var j = new Mat3(
                2 * (l1 - c12 * l2), 2 * (l2 - c12 * l1), 0,
                2 * (l1 - c13 * l3), 0, 2 * (l3 - c13 * l1),
                0, 2 * (l2 - c23 * l3), 2 * (l3 - c23 * l2));
            double det = j.Determinant;
            if (!(Math.Abs(det) > 1e-14 * Math.Pow(j.FrobeniusNorm, 3))) break;
            var step = j.Inverse() * r;
            if (!step.IsFinite) break;
            lambda -= step;
        }
        return lambda;
    }

    /// <summary>
    /// With the depths known the camera-frame points p_i = λi yi form a triangle congruent to the world one, so
    /// R maps (x1 - x2, x1 - x3, their cross product) onto the same in the camera frame: R = Y X⁻¹, t = p1 - R x1.
    /// </summary>
    private static Se3? PoseFromDepths(Vec3 lambda, Vec3 y1, Vec3 y2, Vec3 y3, Vec3 world1, Vec3 d12, Vec3 d13)
    {
        var p1 = lambda.X * y1;
        var e12 = p1 - lambda.Y * y2;
        var e13 = p1 - lambda.Z * y3;
        var x = Mat3.FromColumns(d12, d13, d12.Cross(d13));
        var y = Mat3.FromColumns(e12, e13, e12.Cross(e13));
        double det = x.Determinant;
        if (!(Math.Abs(det) > 0) || !double.IsFinite(det)) return null;
        var rotation = y * x.Inverse();
        if (!rotation.IsFinite || !(rotation.Determinant > 0)) return null;
        return new Se3(rotation, p1 - rotation * world1);
    }

    /// <summary>A tangency or a repeated cubic root can produce the same pose twice; keep one.</summary>
    private static bool IsDuplicate(Se3 pose, ReadOnlySpan<Se3> found)
    {
        foreach (var other in found)
            if ((other.Rotation - pose.Rotation).FrobeniusNorm < 1e-12 && (other.Translation - pose.Translation).Norm < 1e-12 * (1 + pose.Translation.Norm))
                return true;
        return false;
    }
}
