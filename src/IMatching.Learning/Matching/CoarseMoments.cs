using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The coarse level per query: correlations with every cell, softmax(correlation / T) over the cells, and its
/// expected position and variance (n x 4: E[x], E[y], Var[x], Var[y] in pixels), as one autograd function for float32
/// in CPU memory (<see cref="CoarseMomentsKernels"/>). No n x hw tensor outlives either pass: the backward pass
/// computes the correlations again (one GEMM) and returns the small gradients (queries' and cells'). TorchSharp keeps
/// a custom function's saved tensors until the graph is freed and the tensors it returns until the caller's dispose
/// scope ends, so n x hw correlations saved, or their gradient returned, would live through the rest of the backward
/// pass (the tensor formulation's probabilities are freed by the engine after use): 0.3 GB more at the peak of a
/// 320x240 step with 4000 queries.
/// </summary>
internal sealed class CoarseMoments : GuardedFunction<CoarseMoments>
{
    private const string TemperatureKey = "temperature";
    private const string DescriptorsNeedGradient = "descriptors";
    private const string CellsNeedGradient = "cells";

    public override string Name => nameof(CoarseMoments);

    /// <param name="descriptors">n x D.</param>
    /// <param name="cells">D x hw.</param>
    /// <param name="positions">hw x 2 pixels of the cells (no gradient).</param>
    /// <param name="temperature">T.</param>
    /// <returns>The moments, and each query's first cell of largest correlation (n, int64, no gradient).</returns>
    public static (Tensor Moments, Tensor Best) Apply(Tensor descriptors, Tensor cells, Tensor positions, double temperature)
    {
        Tensor best = empty(descriptors.shape[0], dtype: ScalarType.Int64, device: descriptors.device);
        return (apply(descriptors, cells, positions, temperature, best), best);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.set_materialize_grads(false);
        var (descriptors, cells, positions, temperature, best) = ((Tensor)vars[0], (Tensor)vars[1], ((Tensor)vars[2]).contiguous(), (double)vars[3], (Tensor)vars[4]);
        using var scope = NewDisposeScope();
        Tensor correlation = descriptors.matmul(cells).contiguous();                                  // n x hw
        Tensor rows = empty([correlation.shape[0], CoarseMomentsKernels.Columns], dtype: ScalarType.Float32, device: correlation.device);
        CoarseMomentsKernels.Forward(correlation, positions, temperature, rows, best, get_num_threads());
        // Saved tensors made here must outlive this scope: TorchSharp saves them after forward returns.
        ctx.save_for_backward([descriptors, cells, positions, scope.MoveToOuter(rows)]);
        ctx.save_data(TemperatureKey, temperature);
        ctx.save_data(DescriptorsNeedGradient, descriptors.requires_grad);
        ctx.save_data(CellsNeedGradient, cells.requires_grad);
        return scope.MoveToOuter(rows.narrow(1, 2, 4).contiguous());
    }

    protected override int Arguments => 5;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        if (grad_output.IsInvalid) return [null!, null!, null!, null!, null!];
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (descriptors, cells, positions, rows) = (saved[0], saved[1], saved[2], saved[3]);
        Tensor correlation = descriptors.matmul(cells).contiguous();
        Tensor correlationGradient = empty_like(correlation);
        CoarseMomentsKernels.Backward(grad_output.contiguous(), correlation, positions, rows, (double)ctx.get_data(TemperatureKey), correlationGradient, get_num_threads());
        Tensor? descriptorsGradient = (bool)ctx.get_data(DescriptorsNeedGradient) ? correlationGradient.matmul(cells.t()) : null;
        Tensor? cellsGradient = (bool)ctx.get_data(CellsNeedGradient) ? descriptors.t().matmul(correlationGradient) : null;
        // One entry per argument of Apply (descriptors, cells, positions, temperature, best).
        return [descriptorsGradient?.MoveToOuterDisposeScope()!, cellsGradient?.MoveToOuterDisposeScope()!, null!, null!, null!];
    }
}
