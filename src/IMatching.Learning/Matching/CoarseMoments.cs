using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The coarse level per query: correlations with every cell, softmax(correlation / T) over the cells, and its
/// expected position and variance (n x 4: E[x], E[y], Var[x], Var[y] in pixels), as one autograd function for float32
/// in CPU memory (<see cref="CoarseMomentsKernels"/>), where the tensor formulation makes and reads n x hw tensors for
/// the scaled correlations, the exponentials, the probabilities and each product.
/// </summary>
/// <remarks>
/// The backward pass needs the n x hw correlations. TorchSharp keeps a custom function's saved tensors until the graph
/// is freed, after the whole backward pass, where the engine frees the tensor formulation's probabilities as soon as
/// their node is done; and it keeps a returned gradient as long as its dispose scope. So the correlations are kept
/// outside the saved tensors, only when a backward pass can come, and the backward pass frees them as soon as it has
/// read them; it returns the queries' and cells' gradients (n x D, D x hw), not the correlations'. When no backward
/// pass comes (a clip skipped after its forward pass), the caller's dispose scope frees them: <see cref="Apply"/>
/// hands them over for that.
/// </remarks>
internal sealed class CoarseMoments : GuardedFunction<CoarseMoments>
{
    private const string TemperatureKey = "temperature";
    private const string CorrelationsKey = "correlations";
    private const string DescriptorsNeedGradient = "descriptors";
    private const string CellsNeedGradient = "cells";

    public override string Name => nameof(CoarseMoments);

    /// <param name="descriptors">n x D.</param>
    /// <param name="cells">D x hw.</param>
    /// <param name="positions">hw x 2 pixels of the cells (no gradient).</param>
    /// <param name="temperature">T.</param>
    /// <returns>
    /// The moments; each query's first cell of largest correlation (n, int64, no gradient); and the correlations kept
    /// for the backward pass (null when none can come), in the caller's dispose scope, which must outlive the backward pass.
    /// </returns>
    public static (Tensor Moments, Tensor Best, Tensor? Kept) Apply(Tensor descriptors, Tensor cells, Tensor positions, double temperature)
    {
        Tensor best = empty(descriptors.shape[0], dtype: ScalarType.Int64, device: descriptors.device);
        var kept = is_grad_enabled() && (descriptors.requires_grad || cells.requires_grad) ? new Correlations() : null;
        Tensor moments = apply(descriptors, cells, positions, temperature, best, kept!);
        return (moments, best, kept?.Tensor);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.set_materialize_grads(false);
        var (descriptors, cells, positions, temperature, best, kept) =
            ((Tensor)vars[0], (Tensor)vars[1], ((Tensor)vars[2]).contiguous(), (double)vars[3], (Tensor)vars[4], vars[5] as Correlations);
        using var scope = NewDisposeScope();
        Tensor correlation = descriptors.matmul(cells).contiguous();                                  // n x hw
        Tensor rows = empty([correlation.shape[0], CoarseMomentsKernels.Columns], dtype: ScalarType.Float32, device: correlation.device);
        CoarseMomentsKernels.Forward(correlation, positions, temperature, rows, best, get_num_threads());
        // Saved tensors made here must outlive this scope: TorchSharp saves them after forward returns.
        ctx.save_for_backward([descriptors, cells, positions, scope.MoveToOuter(rows)]);
        ctx.save_data(TemperatureKey, temperature);
        ctx.save_data(DescriptorsNeedGradient, descriptors.requires_grad);
        ctx.save_data(CellsNeedGradient, cells.requires_grad);
        if (kept is not null)
        {
            kept.Tensor = scope.MoveToOuter(correlation);
            ctx.save_data(CorrelationsKey, kept);
        }
        return scope.MoveToOuter(rows.narrow(1, 2, 4).contiguous());
    }

    protected override int Arguments => 6;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var kept = ctx.get_data(CorrelationsKey) as Correlations;
        try
        {
            if (grad_output.IsInvalid) return NoGradients();
            Tensor correlation = kept?.Tensor is { IsInvalid: false } live
                ? live
                : throw new InvalidOperationException("The coarse level's correlations were freed before its backward pass (a second backward pass through one graph?).");
            using var scope = NewDisposeScope();
            var saved = ctx.get_saved_variables();
            var (descriptors, cells, positions, rows) = (saved[0], saved[1], saved[2], saved[3]);
            Tensor correlationGradient = empty_like(correlation);
            CoarseMomentsKernels.Backward(grad_output.contiguous(), correlation, positions, rows, (double)ctx.get_data(TemperatureKey), correlationGradient, get_num_threads());
            Tensor? descriptorsGradient = (bool)ctx.get_data(DescriptorsNeedGradient) ? correlationGradient.matmul(cells.t()) : null;
            Tensor? cellsGradient = (bool)ctx.get_data(CellsNeedGradient) ? descriptors.t().matmul(correlationGradient) : null;
            // One entry per argument of Apply (descriptors, cells, positions, temperature, best, kept).
            return [descriptorsGradient?.MoveToOuterDisposeScope()!, cellsGradient?.MoveToOuterDisposeScope()!, null!, null!, null!, null!];
        }
        finally
        {
            // Read once: freed now rather than with the caller's scope after the rest of the backward pass.
            kept?.Tensor?.Dispose();
            kept?.Tensor = null;
        }
    }

    /// <summary>The correlations kept from the forward pass for the backward pass (not a saved tensor: see the remarks).</summary>
    private sealed class Correlations
    {
        public Tensor? Tensor;
    }
}
