using System.Globalization;
using System.Text.Json.Serialization;

namespace IMatching.Geometry.RobustLosses;

/// <summary>
/// A robust loss rho(s) of the squared residual norm s, as Ceres defines it: the cost of a residual
/// block is 0.5 * rho(s). Each loss writes its kernel once, in <see cref="Rho{T}"/>; the solver's
/// rho' and rho'' are derived from it by <see cref="SecondOrderJet"/>, and the learning loss runs the
/// same kernel on tensors. A new loss is one file deriving from this class and one line in
/// <see cref="RobustLossRegistry"/>.
/// </summary>
[JsonConverter(typeof(LossFunctionJsonConverter))]
public abstract class LossFunction
{
    protected LossFunction(double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"{GetType().Name}: the scale must be a positive, finite number of pixels.");
        Scale = scale;
        // Bound once: the solver calls this per residual per evaluation, and a generic virtual call resolves its target every time.
        _onJet = Rho;
    }

    private readonly Func<SecondOrderJet, SecondOrderJet> _onJet;

    /// <summary>Residual norm, in pixels, where the loss starts to depart from the square.</summary>
    public double Scale { get; }

    /// <summary>The registered kind, e.g. "huber".</summary>
    public abstract string Kind { get; }

    /// <summary>The text that <see cref="Parse"/> reads back, e.g. "huber:1".</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Kind}:{Scale}");

    public override string ToString() => Name;

    /// <summary>rho(s), written once for every arithmetic the kernel runs on.</summary>
    public abstract T Rho<T>(T squaredNorm) where T : IKernelArithmetic<T>;

    /// <summary>rho, rho' and rho'' at s, differentiated from <see cref="Rho{T}"/>.</summary>
    public (double Rho, double Rho1, double Rho2) Evaluate(double squaredNorm)
    {
        var jet = _onJet(SecondOrderJet.Variable(squaredNorm));
        return (jet.Value, jet.D1, jet.D2);
    }

    /// <summary>Parses "none" (null: the plain square) or "KIND:SCALE" with a kind from <see cref="RobustLossRegistry"/>, SCALE in pixels.</summary>
    public static LossFunction? Parse(string spec) => RobustLossRegistry.Parse(spec);
}
