using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IMatching.Geometry.Linear;

/// <summary>In-place Cholesky of a row-major matrix (lower triangle), row by row so each dot product runs over contiguous memory.</summary>
internal static class DenseCholesky
{
    public static bool Factorize(Span<double> a, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"A {n} x {n} matrix needs {n * n} values, got {a.Length}.");
        ref double a0 = ref MemoryMarshal.GetReference(a);
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
        ref double l0 = ref MemoryMarshal.GetReference(l);
        ref double x0 = ref MemoryMarshal.GetReference(x);
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
