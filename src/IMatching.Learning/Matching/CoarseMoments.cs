using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The coarse level's expected position and variance per query (n x 4: E[x], E[y], Var[x], Var[y] in pixels) under
/// softmax(correlation / T) over the cells, as an autograd function over the correlations, for float32 in CPU memory
/// (<see cref="CoarseMomentsKernels"/>). Keeps the correlations and six floats a query for the backward pass, where
/// the tensor formulation keeps the n x hw probabilities.
/// </summary>
internal sealed class CoarseMoments : GuardedFunction<CoarseMoments>
{
    private const string TemperatureKey = "temperature";

    public override string Name => nameof(CoarseMoments);

    /// <param name="correlation">n x hw.</param>
    /// <param name="positions">hw x 2 pixels of the cells (no gradient).</param>
    /// <param name="temperature">T.</param>
    /// <returns>The moments, and each query's first cell of largest correlation (n, int64, no gradient).</returns>
    public static (Tensor Moments, Tensor Best) Apply(Tensor correlation, Tensor positions, double temperature)
    {
        Tensor best = empty(correlation.shape[0], dtype: ScalarType.Int64, device: correlation.device);
        return (apply(correlation, positions, temperature, best), best);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.set_materialize_grads(false);
        var (correlation, positions, temperature, best) = (((Tensor)vars[0]).contiguous(), ((Tensor)vars[1]).contiguous(), (double)vars[2], (Tensor)vars[3]);
        Tensor rows = empty([correlation.shape[0], CoarseMomentsKernels.Columns], dtype: ScalarType.Float32, device: correlation.device);
        CoarseMomentsKernels.Forward(correlation, positions, temperature, rows, best, get_num_threads());
        ctx.save_for_backward([correlation, positions, rows]);
        ctx.save_data(TemperatureKey, temperature);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(rows.narrow(1, 2, 4).contiguous());
    }

    protected override int Arguments => 4;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        if (grad_output.IsInvalid) return [null!, null!, null!, null!];
        var saved = ctx.get_saved_variables();
        var (correlation, positions, rows) = (saved[0], saved[1], saved[2]);
        Tensor result = empty_like(correlation);
        CoarseMomentsKernels.Backward(grad_output.contiguous(), correlation, positions, rows, (double)ctx.get_data(TemperatureKey), result, get_num_threads());
        return [result, null!, null!, null!];
    }
}
