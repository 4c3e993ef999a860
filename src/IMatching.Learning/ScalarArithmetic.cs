using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning;

/// <summary>
/// Tensor-and-number arithmetic with a scalar that lives exactly as long as the call. TorchSharp 0.107 turns a plain
/// number into a native Scalar (implicitly, and inside its number operators such as <c>t * 0.5</c>) and leaves it to
/// the finalizer, which can free it while the native call still reads it: "Unknown scalar type" crashes in long runs.
/// Write <c>t.Times(0.5)</c> instead of <c>t * 0.5</c> and <c>t.Squared()</c> instead of <c>t.square()</c> (which TorchSharp
/// implements as <c>pow(2)</c>); the source scan in the tests refuses the implicit forms.
/// </summary>
public static class ScalarArithmetic
{
    public static Tensor Plus(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.add(scalar);
    }

    public static Tensor Minus(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.sub(scalar);
    }

    public static Tensor Times(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.mul(scalar);
    }

    public static Tensor Over(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        return tensor.div(scalar);
    }

    /// <summary>value - tensor.</summary>
    public static Tensor Subtracted(this Tensor tensor, double value)
    {
        using Scalar scalar = value.ToScalar();
        using Tensor negated = tensor.neg();
        return negated.add(scalar);
    }

    public static Tensor AtLeast(this Tensor tensor, double minimum)
    {
        using Scalar scalar = minimum.ToScalar();
        return tensor.clamp_min(scalar);
    }

    public static Tensor AtMost(this Tensor tensor, double maximum)
    {
        using Scalar scalar = maximum.ToScalar();
        return tensor.clamp_max(scalar);
    }

    /// <summary>x² element-wise as x·x: TorchSharp 0.107's <c>square()</c> is <c>pow(2)</c> with an implicit scalar.</summary>
    public static Tensor Squared(this Tensor tensor) => tensor.mul(tensor);
}
