using System.Runtime.CompilerServices;

namespace IMatching.Geometry.Linear;

/// <summary>In-place Cholesky of a row-major matrix (lower triangle), row by row so each dot product runs over contiguous memory.</summary>
internal static class DenseCholesky
{
    /// <summary>
    /// Four rows at a time: the columns left of the four rows' diagonal block take one dot product per row with the
    /// same earlier row, which is read once for all four (the factor is larger than the L2 cache, so streaming those
    /// rows was the cost). Every entry gets exactly the arithmetic of the row-by-row order.
    /// </summary>
    public static bool Factorize(Span<double> a, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"A {n} x {n} matrix needs {n * n} values, got {a.Length}.");
        if (n == 0) return true;
        // a[0] rather than MemoryMarshal.GetReference: a generic CoreLib helper would be JIT-compiled in a cold process.
        ref double a0 = ref a[0];
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            int r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
            for (int j = 0; j < i; j++)
            {
                int rowJ = j * n;
                VectorKernels.Dot4(ref Unsafe.Add(ref a0, r0), ref Unsafe.Add(ref a0, r1), ref Unsafe.Add(ref a0, r2), ref Unsafe.Add(ref a0, r3),
                    ref Unsafe.Add(ref a0, rowJ), j, out double d0, out double d1, out double d2, out double d3);
                double pivot = a[rowJ + j];
                a[r0 + j] = (a[r0 + j] - d0) / pivot;
                a[r1 + j] = (a[r1 + j] - d1) / pivot;
                a[r2 + j] = (a[r2 + j] - d2) / pivot;
                a[r3 + j] = (a[r3 + j] - d3) / pivot;
            }
            for (int row = i; row < i + 4; row++)
                if (!FactorizeRow(a, ref a0, n, row, i)) return false;
        }
        for (; i < n; i++)
            if (!FactorizeRow(a, ref a0, n, i, 0)) return false;
        return true;
    }

    /// <summary>Entries [from, i] of row i, the entries left of <paramref name="from"/> done; false on a pivot that is not positive and finite.</summary>
    private static bool FactorizeRow(Span<double> a, ref double a0, int n, int i, int from)
    {
        int rowI = i * n;
        for (int j = from; j <= i; j++)
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
