using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IMatching.Geometry.Linear;

/// <summary>In-place Cholesky of a row-major matrix (lower triangle), row by row so each dot product runs over contiguous memory.</summary>
internal static class DenseCholesky
{
    // Hot kernel: JIT-compiled fully at first call rather than run from ReadyToRun code, which cannot inline the
    // framework's span and vector helpers (README, Against Ceres: the cold CLI solve ran at half speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Factorize(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            var rowI = a.Slice(i * n, n);
            for (int j = 0; j <= i; j++)
            {
                var rowJ = a.Slice(j * n, j);
                double s = rowI[j] - Dot(rowI[..j], rowJ);
                if (j == i)
                {
                    if (!(s > 0) || !double.IsFinite(s)) return false;
                    rowI[i] = Math.Sqrt(s);
                }
                else
                {
                    rowI[j] = s / a[j * n + j];
                }
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Solve(ReadOnlySpan<double> l, int n, ReadOnlySpan<double> rhs, Span<double> x)
    {
        for (int i = 0; i < n; i++)
            x[i] = (rhs[i] - Dot(l.Slice(i * n, i), x[..i])) / l[i * n + i];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            int k = 0;
            for (; k + 1 < va.Length; k += 2)
            {
                acc0 += va[k] * vb[k];
                acc1 += va[k + 1] * vb[k + 1];
            }
            if (k < va.Length) acc0 += va[k] * vb[k];
            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
