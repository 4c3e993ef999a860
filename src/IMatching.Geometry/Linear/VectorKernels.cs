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
