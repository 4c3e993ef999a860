using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A custom autograd function whose backward pass runs through <see cref="Backward.Guard"/>, so an exception in it
/// reaches <see cref="Backward.Run"/>'s caller instead of ending the process. Every custom function of this library
/// derives from it rather than from TorchSharp's base directly.
/// </summary>
internal abstract class GuardedFunction<T> : autograd.SingleTensorFunction<T> where T : GuardedFunction<T>, new()
{
    /// <summary>The arguments of the function's <c>apply</c>: its backward pass returns one gradient (or null) for each.</summary>
    protected abstract int Arguments { get; }

    public sealed override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) =>
        Backward.Guard(Arguments, () => Gradients(ctx, grad_output));

    /// <summary>A gradient for none of the arguments.</summary>
    protected List<Tensor> NoGradients() => Backward.NoGradients(Arguments);

    /// <summary>The backward pass itself.</summary>
    protected abstract List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output);
}
