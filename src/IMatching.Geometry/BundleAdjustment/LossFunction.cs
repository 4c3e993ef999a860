using System.Globalization;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>
/// A robust loss rho(s) of the squared residual norm s, as Ceres defines it: the cost of a
/// residual block is 0.5 * rho(s). <see cref="Evaluate"/> returns rho, rho' and rho''.
/// </summary>
public abstract class LossFunction
{
    public abstract string Name { get; }
    public abstract (double Rho, double Rho1, double Rho2) Evaluate(double squaredNorm);

    /// <summary>Parses "none", "huber:SCALE" or "cauchy:SCALE", SCALE in pixels.</summary>
    public static LossFunction? Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':', 2);
        string kind = parts[0].Trim().ToLowerInvariant();
        if (kind is "none" or "trivial" or "") return null;
        double scale = 1;
        if (parts.Length == 2 && !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out scale))
            throw new FormatException($"Robust loss '{spec}': scale '{parts[1]}' is not a number.");
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new FormatException($"Robust loss '{spec}': scale must be a positive number of pixels.");
        return kind switch
        {
            "huber" => new HuberLoss(scale),
            "cauchy" => new CauchyLoss(scale),
            _ => throw new FormatException($"Robust loss '{spec}': unknown kind '{kind}' (expected none, huber:SCALE or cauchy:SCALE)."),
        };
    }
}

/// <summary>Quadratic inside <c>Scale</c> pixels, linear outside.</summary>
public sealed class HuberLoss(double scale) : LossFunction
{
    private readonly double _b = scale * scale;
    public double Scale { get; } = scale;
    public override string Name => FormattableString.Invariant($"huber:{Scale}");

    public override (double, double, double) Evaluate(double s)
    {
        if (s <= _b) return (s, 1, 0);
        double r = Math.Sqrt(s);
        double rho1 = Math.Max(double.Epsilon, Scale / r);
        return (2 * Scale * r - _b, rho1, -rho1 / (2 * s));
    }
}

/// <summary>rho(s) = a^2 log(1 + s / a^2): influence decays for residuals far beyond <c>Scale</c>.</summary>
public sealed class CauchyLoss(double scale) : LossFunction
{
    private readonly double _b = scale * scale;
    private readonly double _c = 1 / (scale * scale);
    public double Scale { get; } = scale;
    public override string Name => FormattableString.Invariant($"cauchy:{Scale}");

    public override (double, double, double) Evaluate(double s)
    {
        double sum = 1 + s * _c;
        double inv = 1 / sum;
        return (_b * Math.Log(sum), Math.Max(double.Epsilon, inv), -_c * inv * inv);
    }
}
