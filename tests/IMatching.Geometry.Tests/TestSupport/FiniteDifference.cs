namespace IMatching.Geometry.Tests.TestSupport;

/// <summary>Central finite differences, for checking analytic Jacobians.</summary>
public static class FiniteDifference
{
    /// <summary>
    /// The m x n Jacobian of <paramref name="f"/> at <paramref name="x"/> (row-major, m = f(x).Length,
    /// n = x.Length) by central differences with step <paramref name="h"/>. <paramref name="x"/> is not modified.
    /// </summary>
    public static double[] Jacobian(Func<double[], double[]> f, double[] x, double h)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h);
        int n = x.Length, m = f((double[])x.Clone()).Length;
        var jacobian = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            double[] fPlus = f(plus), fMinus = f(minus);
            // Divide by the step actually taken, which rounding can make differ from 2h.
            double step = plus[j] - minus[j];
            for (int i = 0; i < m; i++) jacobian[i * n + j] = (fPlus[i] - fMinus[i]) / step;
        }
        return jacobian;
    }
}
