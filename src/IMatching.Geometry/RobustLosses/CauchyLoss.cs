namespace IMatching.Geometry.RobustLosses;

/// <summary>rho(s) = a^2 log(1 + s / a^2): influence decays for residuals far beyond <c>Scale</c>.</summary>
public sealed class CauchyLoss(double scale) : LossFunction(scale)
{
    public override string Kind => "cauchy";

    public override T Rho<T>(T s)
    {
        double b = Scale * Scale;
        return T.Scale(T.Log(T.Shift(T.Scale(s, 1 / b), 1)), b);
    }
}
