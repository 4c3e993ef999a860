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
    public static Tensor Plus(this Tensor tensor, double value) => With(value, tensor.add);

    public static Tensor Minus(this Tensor tensor, double value) => With(value, tensor.sub);

    public static Tensor Times(this Tensor tensor, double value) => With(value, tensor.mul);

    public static Tensor Over(this Tensor tensor, double value) => With(value, scalar => tensor.div(scalar));

    /// <summary>value - tensor.</summary>
    public static Tensor Subtracted(this Tensor tensor, double value)
    {
        using Tensor negated = tensor.neg();
        return With(value, negated.add);
    }

    public static Tensor AtLeast(this Tensor tensor, double minimum) => With(minimum, tensor.clamp_min);

    public static Tensor AtMost(this Tensor tensor, double maximum) => With(maximum, tensor.clamp_max);

    /// <summary>x² element-wise as x·x: TorchSharp 0.107's <c>square()</c> is <c>pow(2)</c> with an implicit scalar.</summary>
    public static Tensor Squared(this Tensor tensor) => tensor.mul(tensor);

    /// <summary>Runs <paramref name="operation"/> with <paramref name="value"/> as a scalar disposed only after the call returns.</summary>
    private static Tensor With(double value, Func<Scalar, Tensor> operation)
    {
        using Scalar scalar = value.ToScalar();
        return operation(scalar);
    }
}
