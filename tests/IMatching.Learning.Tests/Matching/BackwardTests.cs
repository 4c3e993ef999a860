using TorchSharp;
using IMatching.Learning.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// An exception inside a custom function's backward pass ended the test host (TorchSharp calls backward passes from
/// native code); under <see cref="Backward.Run"/> it reaches the caller, and the next backward pass runs as usual.
/// </summary>
public sealed class BackwardTests
{
    [Fact]
    public void A_failing_backward_pass_reaches_the_caller_as_its_exception()
    {
        using var scope = NewDisposeScope();
        var (loss, sink) = WindowLoss(seed: 3);
        // The map the window's backward pass reads is gone: it throws, inside the engine.
        sink.ReleaseMaps();
        var error = Assert.Throws<InvalidOperationException>(() => Backward.Run(loss));
        Assert.Contains("released before a reader's backward pass", error.Message, StringComparison.Ordinal);

        // Nothing is left over: the next backward pass runs and gives the map its gradient.
        var (next, nextSink) = WindowLoss(seed: 4);
        Backward.Run(next);
        using Tensor? gradient = nextSink.TakeGradient(0);
        Assert.NotNull(gradient);
        Assert.True(gradient!.abs().sum().item<float>() > 0, "no gradient after a failed backward pass");
    }

    /// <summary>
    /// The engine's own error after a guarded pass failed (a function made first, so run last, returns a gradient of the
    /// wrong shape): that error reaches the caller, and the kept failure does not outlive it into the next backward pass.
    /// </summary>
    [Fact]
    public void An_engine_error_after_a_failed_pass_leaves_no_failure_behind()
    {
        using var scope = NewDisposeScope();
        Tensor leaf = ones(3).requires_grad_(true);
        Tensor wrong = WrongShapeGradient.apply(leaf);
        var (window, sink) = WindowLoss(seed: 5);
        sink.ReleaseMaps();
        Assert.ThrowsAny<Exception>(() => Backward.Run(wrong.sum().Plus(window)));

        var (next, _) = WindowLoss(seed: 6);
        Backward.Run(next);
    }

    /// <summary>A function whose backward pass returns a gradient of the wrong shape, which the engine refuses.</summary>
    private sealed class WrongShapeGradient : autograd.SingleTensorFunction<WrongShapeGradient>
    {
        public override string Name => nameof(WrongShapeGradient);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) => [ones(5)];
    }

    /// <summary>A window correlation on a map beside the graph, summed with random weights.</summary>
    private static (Tensor Loss, MapGradientSink Sink) WindowLoss(ulong seed)
    {
        using var generator = new Generator(seed);
        Tensor map = randn([1, 6, 9, 13], generator: generator);
        var sink = new MapGradientSink { Anchor = zeros(1).requires_grad_(true), Maps = [map.alias()] };
        Tensor queries = randn([3, 6], generator: generator).requires_grad_(true);
        Tensor origins = tensor(new long[] { 0, 0, 5, 2, 9, 6 }, [3, 2]);
        Tensor window = MapWindowCorrelation.Apply(queries, map[0], origins, 4, new MapGradientSink.Slot(sink, 0));
        return ((window * randn([3, 4, 4], generator: generator)).sum(), sink);
    }
}
