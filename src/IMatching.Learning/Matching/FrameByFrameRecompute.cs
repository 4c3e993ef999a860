using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A backbone's maps for a batch of frames without keeping any activation for the backward pass: the forward runs
/// frame by frame with no graph; the backward runs each frame's forward again, with a graph, and back-propagates that
/// frame's share of the incoming gradients into the weights (the reentrant scheme of PyTorch's
/// <c>utils.checkpoint</c>). Peak memory is one frame's activations instead of the clip's, for one extra forward pass.
/// Exact only when the forward does not mix frames: batch-norm layers must use their stored statistics
/// (inference mode), which is what <see cref="ShouldApply"/> checks. One output tensor in the graph (a network with
/// several maps concatenates them); with a <see cref="MapGradientSink"/>, a second one per frame beside it.
/// </summary>
internal sealed class FrameByFrameRecompute : GuardedFunction<FrameByFrameRecompute>
{
    private const string ForwardKey = "forward";
    private const string SinkKey = "sink";

    public override string Name => nameof(FrameByFrameRecompute);

    /// <summary>
    /// Worth it and exact: a graph is being built, the batch has several frames, and the network normalises each
    /// frame with stored statistics (not in training mode).
    /// </summary>
    public static bool ShouldApply(nn.Module network, Tensor images) => is_grad_enabled() && !network.training && images.shape[0] > 1;

    /// <param name="forward">The network on a 1x3xHxW frame: its output, 1 x ... .</param>
    /// <param name="images">Bx3xHxW, no gradient.</param>
    /// <returns>The output for the whole batch (B x ...), attached to the graph through this function.</returns>
    public static Tensor Apply(Func<Tensor, Tensor> forward, Tensor images) => Apply(new WholeFrame(frame => new RecomputedFrame(forward(frame), null)), images, null);

    /// <summary>
    /// As <see cref="Apply(Func{Tensor, Tensor}, Tensor)"/>, with a second, large output per frame kept beside the
    /// graph: those go to <see cref="MapGradientSink.Maps"/> (no graph, no copy), and the backward pass takes their
    /// gradient from the sink instead of from the graph.
    /// </summary>
    public static Tensor Apply(IFrameRecomputation forward, Tensor images, MapGradientSink? sink)
    {
        // The function's node joins the graph only if one of its tensor inputs needs a gradient; the images do not,
        // so a zero-size anchor does (its gradient is never read).
        using var anchor = zeros(0, device: images.device).requires_grad_(true);
        return apply(forward, images, anchor, sink!);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // A missing output gradient arrives as an invalid tensor, not as zeros that TorchSharp would build from an
        // empty tensor it registered in the caller's dispose scope, long freed by the backward pass.
        ctx.set_materialize_grads(false);
        var (run, images, sink) = ((IFrameRecomputation)vars[0], (Tensor)vars[1], (MapGradientSink?)vars[3]);
        ctx.save_for_backward([images]);
        ctx.save_data(ForwardKey, run);
        if (sink is not null) ctx.save_data(SinkKey, sink);
        // Each frame's output is copied into the batch's as soon as it exists: the clip's output is held once, not
        // twice (all frames' outputs and their concatenation).
        Tensor? output = null;
        List<Tensor> beside = [], outside = [];
        long frames = images.shape[0];
        for (long i = 0; i < frames; i++)
        {
            using var scope = NewDisposeScope();
            var frame = run.Forward(images.narrow(0, i, 1));
            output ??= Batch(frame.Output, frames).MoveToOuterDisposeScope();
            output.narrow(0, i, 1).copy_(frame.Output);
            if (sink is not null)
            {
                beside.Add((frame.Beside ?? throw new InvalidOperationException("A sink needs a map beside the graph from every frame.")).DetachFromDisposeScope());
                if (frame.Unattached is { } unattached) outside.Add(unattached.DetachFromDisposeScope());
            }
        }
        if (sink is not null)
        {
            sink.Maps = beside;
            sink.Unattached = outside;
        }
        return output ?? throw new ArgumentException("No frames to run.", nameof(vars));
    }

    protected override int Arguments => 4;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var images = ctx.get_saved_variables()[0];
        var run = (IFrameRecomputation)ctx.get_data(ForwardKey);
        // Every consumer of the maps beside the graph has run: the sink is complete (or was never written to).
        var sink = ctx.get_data(SinkKey) as MapGradientSink;
        sink?.ReleaseMaps();
        for (long i = 0; i < images.shape[0]; i++)
        {
            using var scope = NewDisposeScope();
            using var mode = enable_grad();
            using Tensor? besideGradient = sink?.TakeGradient(i);
            // Either gradient may be missing: the output's when the loss did not reach it (fine points alone with the
            // window on the nearest cell leave the coarse level out), the sink's when no reader added to it.
            run.Backward(images.narrow(0, i, 1), grad_output.IsInvalid ? null : grad_output.narrow(0, i, 1), besideGradient);
        }
        // None for the arguments of Apply (forward, images, anchor, sink): the weights' gradients were accumulated above.
        return NoGradients();
    }

    private static Tensor Batch(Tensor frame, long frames)
    {
        long[] shape = [.. frame.shape];
        shape[0] = frames;
        return empty(shape, dtype: frame.dtype, device: frame.device);
    }
}

/// <summary>How <see cref="FrameByFrameRecompute"/> runs one frame (1x3xHxW) in either pass.</summary>
internal interface IFrameRecomputation
{
    /// <summary>The frame's outputs, with no graph.</summary>
    RecomputedFrame Forward(Tensor frame);

    /// <summary>
    /// The frame again, with a graph, back-propagating into the weights the gradients of its output and of its map
    /// beside the graph; either may be null (none reached it).
    /// </summary>
    void Backward(Tensor frame, Tensor? outputGradient, Tensor? besideGradient);
}

/// <summary>The whole frame at once: its outputs' graph is built in one go and back-propagated together.</summary>
internal sealed class WholeFrame(Func<Tensor, RecomputedFrame> run) : IFrameRecomputation
{
    public RecomputedFrame Forward(Tensor frame) => run(frame);

    public void Backward(Tensor frame, Tensor? outputGradient, Tensor? besideGradient)
    {
        if (outputGradient is null && besideGradient is null) return;
        var outputs = run(frame);
        List<Tensor> tensors = [], gradients = [];
        if (outputGradient is not null) (tensors, gradients) = ([outputs.Output], [outputGradient]);
        if (besideGradient is not null && outputs.Beside is { } beside)
        {
            tensors.Add(beside);
            gradients.Add(besideGradient);
        }
        if (tensors.Count > 0) autograd.backward(tensors, gradients);
    }
}

/// <summary>
/// One frame's outputs: the one in the graph and, with a <see cref="MapGradientSink"/>, the one beside it (its gradient
/// from the sink) and one that takes no gradient at all.
/// </summary>
internal sealed record RecomputedFrame(Tensor Output, Tensor? Beside, Tensor? Unattached = null);
