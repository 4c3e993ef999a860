using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A backbone's maps for a batch of frames without keeping any activation for the backward pass: the forward runs
/// frame by frame with no graph; the backward runs each frame's forward again, with a graph, and back-propagates that
/// frame's share of the incoming gradients into the weights (the reentrant scheme of PyTorch's
/// <c>utils.checkpoint</c>). Peak memory is one frame's activations instead of the clip's, for one extra forward pass.
/// Exact only when the forward does not mix frames: batch-norm layers must use their stored statistics
/// (inference mode), which is what <see cref="ShouldApply"/> checks. One output tensor (a network with several maps
/// concatenates them), so that every backward pass brings its whole gradient: TorchSharp fills a missing output
/// gradient from that output's wrapper, which the caller's dispose scope has freed by then.
/// </summary>
internal sealed class FrameByFrameRecompute : autograd.SingleTensorFunction<FrameByFrameRecompute>
{
    private const string ForwardKey = "forward";

    public override string Name => nameof(FrameByFrameRecompute);

    /// <summary>
    /// Worth it and exact: a graph is being built, the batch has several frames, and the network normalises each
    /// frame with stored statistics (not in training mode).
    /// </summary>
    public static bool ShouldApply(nn.Module network, Tensor images) => is_grad_enabled() && !network.training && images.shape[0] > 1;

    /// <param name="forward">The network on a 1x3xHxW frame: its output, 1 x ... .</param>
    /// <param name="images">Bx3xHxW, no gradient.</param>
    /// <returns>The output for the whole batch (B x ...), attached to the graph through this function.</returns>
    public static Tensor Apply(Func<Tensor, Tensor> forward, Tensor images)
    {
        // The function's node joins the graph only if one of its tensor inputs needs a gradient; the images do not,
        // so a zero-size anchor does (its gradient is never read).
        using var anchor = zeros(0, device: images.device).requires_grad_(true);
        return apply(forward, images, anchor);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (run, images) = ((Func<Tensor, Tensor>)vars[0], (Tensor)vars[1]);
        ctx.save_for_backward([images]);
        ctx.save_data(ForwardKey, run);
        // Each frame's output is copied into the batch's as soon as it exists: the clip's output is held once, not
        // twice (all frames' outputs and their concatenation).
        Tensor? output = null;
        for (long i = 0; i < images.shape[0]; i++)
        {
            using var scope = NewDisposeScope();
            Tensor frame = run(images.narrow(0, i, 1));
            if (output is null)
            {
                long[] shape = [.. frame.shape];
                shape[0] = images.shape[0];
                output = empty(shape, dtype: frame.dtype, device: frame.device).MoveToOuterDisposeScope();
            }
            output.narrow(0, i, 1).copy_(frame);
        }
        return output ?? throw new ArgumentException("No frames to run.", nameof(vars));
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var images = ctx.get_saved_variables()[0];
        var run = (Func<Tensor, Tensor>)ctx.get_data(ForwardKey);
        for (long i = 0; i < images.shape[0]; i++)
        {
            using var scope = NewDisposeScope();
            using var mode = enable_grad();
            run(images.narrow(0, i, 1)).backward([grad_output.narrow(0, i, 1)]);
        }
        // One entry per argument of Apply (forward, images, anchor); the weights' gradients were accumulated above.
        return [null!, null!, null!];
    }
}
