using System.Runtime.CompilerServices;

namespace IMatching.Geometry.Linear;

/// <summary>In-place Cholesky of a row-major matrix (lower triangle), row by row so each dot product runs over contiguous memory.</summary>
internal static class DenseCholesky
{
    public static bool Factorize(Span<double> a, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"A {n} x {n} matrix needs {n * n} values, got {a.Length}.");
        if (n == 0) return true;
        // a[0] rather than MemoryMarshal.GetReference: a generic CoreLib helper would be JIT-compiled in a cold process.
        ref double a0 = ref a[0];
        for (int i = 0; i < n; i++)
        {
            int rowI = i * n;
            for (int j = 0; j <= i; j++)
            {
                double s = a[rowI + j] - VectorKernels.Dot(ref Unsafe.Add(ref a0, rowI), ref Unsafe.Add(ref a0, j * n), j);
                if (j == i)
                {
                    if (!(s > 0 && s < double.PositiveInfinity)) return false; // not positive or not finite
                    a[rowI + i] = Math.Sqrt(s);
                }
                else
                {
                    a[rowI + j] = s / a[j * n + j];
                }
            }
        }
        return true;
    }

    public static void Solve(ReadOnlySpan<double> l, int n, ReadOnlySpan<double> rhs, Span<double> x)
    {
        if (l.Length < n * n || rhs.Length < n || x.Length < n) throw new ArgumentException($"A {n} x {n} solve got a factor of {l.Length}, {rhs.Length} and {x.Length} values.");
        if (n == 0) return;
        ref double l0 = ref Unsafe.AsRef(in l[0]);
        ref double x0 = ref x[0];
        for (int i = 0; i < n; i++)
            x[i] = (rhs[i] - VectorKernels.Dot(ref Unsafe.Add(ref l0, i * n), ref x0, i)) / l[i * n + i];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
    }
}
