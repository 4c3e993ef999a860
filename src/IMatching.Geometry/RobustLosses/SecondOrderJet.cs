namespace IMatching.Geometry.RobustLosses;

/// <summary>
/// A value with its first and second derivative with respect to one variable (forward-mode
/// differentiation to second order). Running a kernel on a jet seeded with (s, 1, 0) gives rho(s),
/// rho'(s) and rho''(s) from the kernel's single definition.
/// </summary>
public readonly record struct SecondOrderJet(double Value, double D1, double D2) : IKernelArithmetic<SecondOrderJet>
{
    public static SecondOrderJet Variable(double x) => new(x, 1, 0);

    public static SecondOrderJet Add(SecondOrderJet a, SecondOrderJet b) => new(a.Value + b.Value, a.D1 + b.D1, a.D2 + b.D2);

    public static SecondOrderJet Scale(SecondOrderJet x, double c) => new(c * x.Value, c * x.D1, c * x.D2);

    public static SecondOrderJet Shift(SecondOrderJet x, double c) => x with { Value = x.Value + c };

    public static SecondOrderJet Sqrt(SecondOrderJet x)
    {
        double r = Math.Sqrt(x.Value);
        // f = sqrt: f' = 1 / (2 r), f'' = -1 / (4 r^3).
        double f1 = 0.5 / r, f2 = -0.25 / (r * r * r);
        return new(r, f1 * x.D1, f1 * x.D2 + f2 * x.D1 * x.D1);
    }

    public static SecondOrderJet Log(SecondOrderJet x)
    {
        double inv = 1 / x.Value;
        return new(Math.Log(x.Value), inv * x.D1, inv * x.D2 - inv * inv * x.D1 * x.D1);
    }

    public static SecondOrderJet ClampMax(SecondOrderJet x, double c) => x.Value <= c ? x : new(c, 0, 0);

    public static SecondOrderJet ClampMin(SecondOrderJet x, double c) => x.Value > c ? x : new(c, 0, 0);
}
