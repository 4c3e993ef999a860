using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IMatching.Geometry.Linear;

/// <summary>
/// The solver's innermost loops over contiguous doubles, four at a time with AVX. Written on refs with
/// <see cref="Unsafe"/> and <see cref="Vector256"/> only, which the JIT expands in place: ReadyToRun code cannot inline
/// the framework's other span and vector helpers (they live in another version bubble), so code built on them ran
/// precompiled at half speed. Callers guarantee that every range of <c>n</c> elements lies inside its array.
/// </summary>
internal static class VectorKernels
{
    /// <summary>sum of a[j] * b[j], j &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ref double a, ref double b, int n)
    {
        int j = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; j + 8 <= n; j += 8)
            {
                acc0 += Vector256.LoadUnsafe(ref a, (nuint)j) * Vector256.LoadUnsafe(ref b, (nuint)j);
                acc1 += Vector256.LoadUnsafe(ref a, (nuint)(j + 4)) * Vector256.LoadUnsafe(ref b, (nuint)(j + 4));
            }
            if (j + 4 <= n)
            {
                acc0 += Vector256.LoadUnsafe(ref a, (nuint)j) * Vector256.LoadUnsafe(ref b, (nuint)j);
                j += 4;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; j < n; j++) sum += Unsafe.Add(ref a, j) * Unsafe.Add(ref b, j);
        return sum;
    }

    /// <summary>
    /// The four dot products of a0..a3 with b (n each), every one summed exactly as <see cref="Dot(ref double, ref double, int)"/>
    /// sums it, so a caller may batch its dot products without changing a bit; b is read once for all four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(ref double a0, ref double a1, ref double a2, ref double a3, ref double b, int n,
        out double d0, out double d1, out double d2, out double d3)
    {
        int j = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<double> x0 = default, y0 = default, x1 = default, y1 = default, x2 = default, y2 = default, x3 = default, y3 = default;
            for (; j + 8 <= n; j += 8)
            {
                var bl = Vector256.LoadUnsafe(ref b, (nuint)j);
                var bh = Vector256.LoadUnsafe(ref b, (nuint)(j + 4));
                x0 += Vector256.LoadUnsafe(ref a0, (nuint)j) * bl; y0 += Vector256.LoadUnsafe(ref a0, (nuint)(j + 4)) * bh;
                x1 += Vector256.LoadUnsafe(ref a1, (nuint)j) * bl; y1 += Vector256.LoadUnsafe(ref a1, (nuint)(j + 4)) * bh;
                x2 += Vector256.LoadUnsafe(ref a2, (nuint)j) * bl; y2 += Vector256.LoadUnsafe(ref a2, (nuint)(j + 4)) * bh;
                x3 += Vector256.LoadUnsafe(ref a3, (nuint)j) * bl; y3 += Vector256.LoadUnsafe(ref a3, (nuint)(j + 4)) * bh;
            }
            if (j + 4 <= n)
            {
                var bl = Vector256.LoadUnsafe(ref b, (nuint)j);
                x0 += Vector256.LoadUnsafe(ref a0, (nuint)j) * bl;
                x1 += Vector256.LoadUnsafe(ref a1, (nuint)j) * bl;
                x2 += Vector256.LoadUnsafe(ref a2, (nuint)j) * bl;
                x3 += Vector256.LoadUnsafe(ref a3, (nuint)j) * bl;
                j += 4;
            }
            s0 = Vector256.Sum(x0 + y0);
            s1 = Vector256.Sum(x1 + y1);
            s2 = Vector256.Sum(x2 + y2);
            s3 = Vector256.Sum(x3 + y3);
        }
        for (; j < n; j++)
        {
            double bj = Unsafe.Add(ref b, j);
            s0 += Unsafe.Add(ref a0, j) * bj;
            s1 += Unsafe.Add(ref a1, j) * bj;
            s2 += Unsafe.Add(ref a2, j) * bj;
            s3 += Unsafe.Add(ref a3, j) * bj;
        }
        (d0, d1, d2, d3) = (s0, s1, s2, s3);
    }

    /// <summary>sum of a[j] * b[j] over a; b at least as long.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (b.Length < a.Length) throw new ArgumentException($"Dot product of {a.Length} values with only {b.Length}.");
        return a.IsEmpty ? 0 : Dot(ref Unsafe.AsRef(in a[0]), ref Unsafe.AsRef(in b[0]), a.Length);
    }

    /// <summary>dst[j] += x * u[j] + y * v[j], j &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaledPair(ref double dst, double x, ref double u, double y, ref double v, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            var vy = Vector256.Create(y);
            for (; j + 4 <= n; j += 4)
            {
                var d = Vector256.LoadUnsafe(ref dst, (nuint)j) + (vx * Vector256.LoadUnsafe(ref u, (nuint)j) + vy * Vector256.LoadUnsafe(ref v, (nuint)j));
                d.StoreUnsafe(ref dst, (nuint)j);
            }
        }
        for (; j < n; j++) Unsafe.Add(ref dst, j) += x * Unsafe.Add(ref u, j) + y * Unsafe.Add(ref v, j);
    }

    /// <summary>dst[j] -= x * u[j] + y * v[j], j &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractScaledPair(ref double dst, double x, ref double u, double y, ref double v, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            var vy = Vector256.Create(y);
            for (; j + 4 <= n; j += 4)
            {
                var d = Vector256.LoadUnsafe(ref dst, (nuint)j) - (vx * Vector256.LoadUnsafe(ref u, (nuint)j) + vy * Vector256.LoadUnsafe(ref v, (nuint)j));
                d.StoreUnsafe(ref dst, (nuint)j);
            }
        }
        for (; j < n; j++) Unsafe.Add(ref dst, j) -= x * Unsafe.Add(ref u, j) + y * Unsafe.Add(ref v, j);
    }

    /// <summary>
    /// <see cref="SubtractScaledTriple"/> on two rows at once with the same u, v, w, each row summed exactly as alone:
    /// u, v and w are loaded once for both.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractScaledTriple2(ref double dst0, double x0, double y0, double z0, ref double dst1, double x1, double y1, double z1,
        ref double u, ref double v, ref double w, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx0 = Vector256.Create(x0);
            var vy0 = Vector256.Create(y0);
            var vz0 = Vector256.Create(z0);
            var vx1 = Vector256.Create(x1);
            var vy1 = Vector256.Create(y1);
            var vz1 = Vector256.Create(z1);
            for (; j + 4 <= n; j += 4)
            {
                var vu = Vector256.LoadUnsafe(ref u, (nuint)j);
                var vv = Vector256.LoadUnsafe(ref v, (nuint)j);
                var vw = Vector256.LoadUnsafe(ref w, (nuint)j);
                (Vector256.LoadUnsafe(ref dst0, (nuint)j) - (vx0 * vu + vy0 * vv + vz0 * vw)).StoreUnsafe(ref dst0, (nuint)j);
                (Vector256.LoadUnsafe(ref dst1, (nuint)j) - (vx1 * vu + vy1 * vv + vz1 * vw)).StoreUnsafe(ref dst1, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            double uj = Unsafe.Add(ref u, j), vj = Unsafe.Add(ref v, j), wj = Unsafe.Add(ref w, j);
            Unsafe.Add(ref dst0, j) -= x0 * uj + y0 * vj + z0 * wj;
            Unsafe.Add(ref dst1, j) -= x1 * uj + y1 * vj + z1 * wj;
        }
    }

    /// <summary>dst[j] = x * u[j] + y * v[j] + z * w[j], j &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaledTriple(ref double dst, double x, ref double u, double y, ref double v, double z, ref double w, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            var vy = Vector256.Create(y);
            var vz = Vector256.Create(z);
            for (; j + 4 <= n; j += 4)
            {
                var d = vx * Vector256.LoadUnsafe(ref u, (nuint)j) + vy * Vector256.LoadUnsafe(ref v, (nuint)j) + vz * Vector256.LoadUnsafe(ref w, (nuint)j);
                d.StoreUnsafe(ref dst, (nuint)j);
            }
        }
        for (; j < n; j++) Unsafe.Add(ref dst, j) = x * Unsafe.Add(ref u, j) + y * Unsafe.Add(ref v, j) + z * Unsafe.Add(ref w, j);
    }

    /// <summary>dst[j] -= x * u[j] + y * v[j] + z * w[j], j &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubtractScaledTriple(ref double dst, double x, ref double u, double y, ref double v, double z, ref double w, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vx = Vector256.Create(x);
            var vy = Vector256.Create(y);
            var vz = Vector256.Create(z);
            for (; j + 4 <= n; j += 4)
            {
                var d = Vector256.LoadUnsafe(ref dst, (nuint)j)
                    - (vx * Vector256.LoadUnsafe(ref u, (nuint)j) + vy * Vector256.LoadUnsafe(ref v, (nuint)j) + vz * Vector256.LoadUnsafe(ref w, (nuint)j));
                d.StoreUnsafe(ref dst, (nuint)j);
            }
        }
        for (; j < n; j++) Unsafe.Add(ref dst, j) -= x * Unsafe.Add(ref u, j) + y * Unsafe.Add(ref v, j) + z * Unsafe.Add(ref w, j);
    }
}
