using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// out[i, k] = ⟨queries[i], rows[index[i, k]]⟩: each query's descriptor correlated with K rows of a feature table.
/// A custom autograd function so that the n x K x D candidate tensor never exists at once and is never kept for
/// the backward pass: both passes gather a chunk of queries' rows at a time. The gradient into the table is an
/// index-add of whole D-rows, not the bilinear sampler's strided scatter into a D x H x W map.
/// </summary>
internal sealed class WindowCorrelation : GuardedFunction<WindowCorrelation>
{
    /// <summary>
    /// Gathered candidates per chunk. Below glibc's largest mmap threshold (32 MiB), so chunks reuse heap memory
    /// instead of faulting in fresh pages each time.
    /// </summary>
    private const long ChunkBytes = 16L << 20;

    private const string QueriesNeedGradient = "queries";
    private const string RowsNeedGradient = "rows";

    public override string Name => nameof(WindowCorrelation);

    /// <param name="queries">n x D.</param>
    /// <param name="rows">R x D, contiguous.</param>
    /// <param name="index">n x K int64 row indices, no gradient.</param>
    /// <returns>n x K.</returns>
    public static Tensor Apply(Tensor queries, Tensor rows, Tensor index) => apply(queries, rows, index);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // A missing output gradient arrives as an invalid tensor, not as zeros that TorchSharp would build from an
        // empty tensor it registered in the caller's dispose scope, long freed by the backward pass.
        ctx.set_materialize_grads(false);
        var (queries, rows, index) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        ctx.save_for_backward([queries, rows, index]);
        ctx.save_data(QueriesNeedGradient, queries.requires_grad);
        ctx.save_data(RowsNeedGradient, rows.requires_grad);
        using var scope = NewDisposeScope();
        Tensor result = empty([index.shape[0], index.shape[1]], dtype: rows.dtype, device: rows.device);
        foreach (var (start, count) in Chunks(index, rows))
        {
            using var chunkScope = NewDisposeScope();
            Tensor candidates = Gather(rows, index, start, count);                                  // count x K x D
            result.narrow(0, start, count).copy_(candidates.bmm(queries.narrow(0, start, count).unsqueeze(2)).squeeze(2));
        }
        return scope.MoveToOuter(result);
    }

    protected override int Arguments => 3;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        if (grad_output.IsInvalid) return NoGradients();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (queries, rows, index) = (saved[0], saved[1], saved[2]);
        Tensor? queriesGradient = (bool)ctx.get_data(QueriesNeedGradient) ? empty_like(queries) : null;
        Tensor? rowsGradient = (bool)ctx.get_data(RowsNeedGradient) ? zeros_like(rows) : null;
        using Scalar one = 1.ToScalar();
        long k = index.shape[1], d = rows.shape[1];
        foreach (var (start, count) in Chunks(index, rows))
        {
            using var chunkScope = NewDisposeScope();
            Tensor gradient = grad_output.narrow(0, start, count);                                  // count x K
            if (queriesGradient is not null)
            {
                Tensor candidates = Gather(rows, index, start, count);
                queriesGradient.narrow(0, start, count).copy_(gradient.unsqueeze(1).bmm(candidates).squeeze(1));
            }
            if (rowsGradient is not null)
            {
                Tensor contributions = (gradient.unsqueeze(2) * queries.narrow(0, start, count).unsqueeze(1)).reshape(count * k, d);
                rowsGradient.index_add_(0, index.narrow(0, start, count).reshape(-1), contributions, one);
            }
        }
        return [queriesGradient?.MoveToOuterDisposeScope()!, rowsGradient?.MoveToOuterDisposeScope()!, null!];
    }

    private static Tensor Gather(Tensor rows, Tensor index, long start, long count) =>
        rows.index_select(0, index.narrow(0, start, count).reshape(-1)).view(count, index.shape[1], rows.shape[1]);

    private static IEnumerable<(long Start, long Count)> Chunks(Tensor index, Tensor rows)
    {
        long n = index.shape[0];
        long size = Math.Max(1, ChunkBytes / Math.Max(1, index.shape[1] * rows.shape[1] * rows.element_size()));
        for (long start = 0; start < n; start += size)
            yield return (start, Math.Min(size, n - start));
    }
}
