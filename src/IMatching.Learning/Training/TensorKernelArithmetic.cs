using IMatching.Geometry.RobustLosses;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// A tensor as the arithmetic of a robust kernel (<see cref="IKernelArithmetic{T}"/>), so the learning loss
/// runs the BA's own kernel and autograd differentiates it. Every intermediate belongs to the caller's dispose
/// scope; constants go through explicit, disposed scalars.
/// </summary>
public readonly record struct TensorKernelArithmetic(Tensor Value) : IKernelArithmetic<TensorKernelArithmetic>
{
    public static TensorKernelArithmetic Add(TensorKernelArithmetic a, TensorKernelArithmetic b) => new(a.Value.Plus(b.Value));

    public static TensorKernelArithmetic Scale(TensorKernelArithmetic x, double c)
    {
        using Scalar scalar = c.ToScalar();
        return new(x.Value.mul(scalar));
    }

    public static TensorKernelArithmetic Shift(TensorKernelArithmetic x, double c)
    {
        return new(x.Value.Plus(c));
    }

    public static TensorKernelArithmetic Sqrt(TensorKernelArithmetic x) => new(x.Value.sqrt());

    public static TensorKernelArithmetic Log(TensorKernelArithmetic x) => new(x.Value.log());

    /// <summary>where(x &lt;= c, x, c): the gradient passes where x &lt;= c, as <see cref="SecondOrderJet.ClampMax"/>.</summary>
    public static TensorKernelArithmetic ClampMax(TensorKernelArithmetic x, double c)
    {
        using Scalar scalar = c.ToScalar();
        return new(where(x.Value.le(scalar), x.Value, full_like(x.Value, scalar)));
    }

    /// <summary>where(x &gt; c, x, c): the gradient passes only where x &gt; c, as <see cref="SecondOrderJet.ClampMin"/>.</summary>
    public static TensorKernelArithmetic ClampMin(TensorKernelArithmetic x, double c)
    {
        using Scalar scalar = c.ToScalar();
        return new(where(x.Value.gt(scalar), x.Value, full_like(x.Value, scalar)));
    }
}
