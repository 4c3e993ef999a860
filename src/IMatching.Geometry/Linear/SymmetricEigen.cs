namespace IMatching.Geometry.Linear;

/// <summary>Cyclic Jacobi eigen-decomposition of a small symmetric matrix: accurate, allocation-light, fine up to n ~ 20.</summary>
public static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the row-major symmetric n x n matrix <paramref name="a"/> (destroyed). Eigenvalues go to
    /// <paramref name="values"/> in ascending order; eigenvector k is column k of the row-major <paramref name="vectors"/>.
    /// </summary>
    public static void Decompose(Span<double> a, int n, Span<double> values, Span<double> vectors)
    {
        vectors[..(n * n)].Clear();
        for (int i = 0; i < n; i++) vectors[i * n + i] = 1;
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                scale += a[i * n + i] * a[i * n + i];
                for (int j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
            }
            if (off <= 1e-30 * Math.Max(scale, 1e-300)) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    Rotate(a, n, vectors, p, q);
        }
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        SortAscending(values, vectors, n);
    }

    private static void Rotate(Span<double> a, int n, Span<double> v, int p, int q)
    {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double app = a[p * n + p], aqq = a[q * n + q];
        double theta = (aqq - app) / (2 * apq);
        double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }

    private static void SortAscending(Span<double> values, Span<double> vectors, int n)
    {
        for (int i = 0; i < n - 1; i++)
        {
            int min = i;
            for (int j = i + 1; j < n; j++) if (values[j] < values[min]) min = j;
            if (min == i) continue;
            (values[i], values[min]) = (values[min], values[i]);
            for (int k = 0; k < n; k++) (vectors[k * n + i], vectors[k * n + min]) = (vectors[k * n + min], vectors[k * n + i]);
        }
    }
}
