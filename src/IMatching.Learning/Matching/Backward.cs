using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The backward pass of a loss built from this library's matchers, with errors that arrive as exceptions. TorchSharp
/// calls a custom autograd function's backward pass from native code, where an exception cannot travel: one thrown
/// there (an allocation libtorch refuses in the frame-by-frame recomputation, a map freed too early) ended the
/// process with the runtime's unhandled-exception report. This library's functions derive from
/// <see cref="GuardedFunction{T}"/>, which runs their backward passes through <see cref="Guard"/>: under <see cref="Run"/> on the same thread (libtorch runs CPU backward passes on the thread
/// that called backward), the first exception is kept, the remaining guarded backward passes do nothing, and
/// <see cref="Run"/> rethrows it when the engine returns. Elsewhere (a device's own autograd thread, or a caller's
/// plain <c>backward()</c>) nothing is caught, as before: no gradient is ever dropped without an error.
/// </summary>
public static class Backward
{
    [ThreadStatic] private static int _depth;
    [ThreadStatic] private static ExceptionDispatchInfo? _failure;

    /// <summary>
    /// <c>loss.backward()</c>, rethrowing the first exception a guarded backward pass raised in it. The weights'
    /// gradients are then incomplete: the caller drops them (the training loop ends the run with the error).
    /// </summary>
    public static void Run(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ExceptionDispatchInfo? failure = null;
        _depth++;
        try
        {
            loss.backward();
        }
        finally
        {
            // Taken even when the engine itself threw (that exception then wins): no failure outlives its backward pass.
            if (--_depth == 0) (failure, _failure) = (_failure, null);
        }
        failure?.Throw();
    }

    /// <summary>
    /// A custom function's backward pass: its result, or, under <see cref="Run"/> once anything failed, no gradient
    /// for any of its <paramref name="inputs"/> (the exception is kept for <see cref="Run"/>).
    /// </summary>
    internal static List<Tensor> Guard(int inputs, Func<List<Tensor>> backward)
    {
        if (_depth == 0) return backward();
        if (_failure is null)
        {
            try
            {
                return backward();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        }
        return NoGradients(inputs);
    }

    /// <summary>A custom function's backward result that gives none of its <paramref name="inputs"/> a gradient.</summary>
    internal static List<Tensor> NoGradients(int inputs) => [.. Enumerable.Repeat<Tensor>(null!, inputs)];
}
