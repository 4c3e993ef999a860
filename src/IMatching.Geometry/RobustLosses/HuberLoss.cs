namespace IMatching.Geometry.RobustLosses;

/// <summary>Quadratic inside <c>Scale</c> pixels, linear outside: rho(s) = s for s &lt;= a^2, 2 a sqrt(s) - a^2 beyond.</summary>
public sealed class HuberLoss(double scale) : LossFunction(scale)
{
    public override string Kind => "huber";

    /// <summary>
    /// min(s, a^2) + 2a (sqrt(max(s, a^2)) - a): each branch's unused part is clamped, so the value and every
    /// derivative are those of the active branch, and the root never sees 0 (no NaN gradient at s = 0).
    /// </summary>
    public override T Rho<T>(T s)
    {
        double b = Scale * Scale;
        var quadratic = T.ClampMax(s, b);
        var linear = T.Scale(T.Shift(T.Sqrt(T.ClampMin(s, b)), -Scale), 2 * Scale);
        return T.Add(quadratic, linear);
    }
}
