using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning;

/// <summary>
/// Tensor-and-number arithmetic with a scalar that lives exactly as long as the call. TorchSharp 0.107 turns a plain
/// number into a native Scalar (implicitly, and inside its number operators such as <c>t * 0.5</c>) and leaves it to
/// the finalizer, which can free it while the native call still reads it: "Unknown scalar type" crashes in long runs.
/// Write <c>t.Times(0.5)</c> instead of <c>t * 0.5</c> and <c>t.Squared()</c> instead of <c>t.square()</c> (which TorchSharp
/// implements as <c>pow(2)</c>); the source scan in the tests refuses the implicit forms. TorchSharp also converts
/// inside some of its own members (<c>a + b</c> and <c>add(b)</c> pass an implicit alpha of 1, <c>arange(n)</c> implicit
/// bounds): <c>a.Plus(b)</c> and <see cref="Arange"/> pass <see cref="One"/> and <see cref="Zero"/> instead.
/// </summary>
public static class ScalarArithmetic
{
    /// <summary>Rooted for the process's lifetime, so never finalised: safe to pass to any native call, never disposed.</summary>
    private static readonly Scalar One = 1.ToScalar(), Zero = 0.ToScalar();

    public static Tensor Plus(this Tensor tensor, double value) => With(value, tensor.Plus);

    /// <summary>tensor + value, with an explicit alpha (a Scalar would otherwise pass as a Tensor, which TorchSharp refuses).</summary>
    public static Tensor Plus(this Tensor tensor, Scalar value) => tensor.add(value, One);

    /// <summary>tensor + other (broadcasting), with an explicit alpha.</summary>
    public static Tensor Plus(this Tensor tensor, Tensor other) => tensor.add(other, One);

    /// <summary>0, 1, …, count − 1.</summary>
    public static Tensor Arange(long count, ScalarType dtype, Device device)
    {
        using Scalar stop = count.ToScalar();
        return arange(Zero, stop, One, dtype, device);
    }

    /// <summary>Adds 1 in place (a counter), with no scalar made for it.</summary>
    public static Tensor Increment(this Tensor tensor) => tensor.add_(One, One);

    public static Tensor Minus(this Tensor tensor, double value) => With(value, tensor.sub);

    public static Tensor Times(this Tensor tensor, double value) => With(value, tensor.mul);

    public static Tensor Over(this Tensor tensor, double value) => With(value, scalar => tensor.div(scalar));

    /// <summary>value - tensor.</summary>
    public static Tensor Subtracted(this Tensor tensor, double value)
    {
        using Tensor negated = tensor.neg();
        return With(value, negated.Plus);
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
