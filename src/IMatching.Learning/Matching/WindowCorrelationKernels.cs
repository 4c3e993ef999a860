using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// <see cref="WindowCorrelation"/>'s two passes for float32 tensors in CPU memory, straight over the tensors' memory:
/// each candidate row is read where it lies and used at once, where the tensor formulation gathers the n x K x D
/// candidates into a fresh tensor (and, backwards, gathers them again and builds an n x K x D tensor of products for
/// the index-add). Each line of a window is S contiguous D-rows, so these passes stream memory that the gather
/// copied three to five times; the head's fine level costs a quarter of what it did (see README, Training speed).
/// Queries are split across threads for the forward pass; backwards, each thread owns a band of the table's rows
/// and adds only into those, so no two threads write the same row and no per-thread copy of the table is needed.
/// </summary>
internal static unsafe class WindowCorrelationKernels
{
    /// <summary>Whether these kernels serve the tensors: float32 in CPU memory, int64 indices. Other devices and types (CUDA, float64 gradient checks) take the tensor formulation.</summary>
    public static bool Serve(Tensor queries, Tensor rows, Tensor index) =>
        queries.device_type is DeviceType.CPU && rows.device_type is DeviceType.CPU && index.device_type is DeviceType.CPU
        && queries.dtype is ScalarType.Float32 && rows.dtype is ScalarType.Float32 && index.dtype is ScalarType.Int64;

    /// <summary>result[i, k] = ⟨queries[i], rows[index[i, k]]⟩. All four contiguous; result n x K.</summary>
    public static void Forward(Tensor queries, Tensor rows, Tensor index, Tensor result, int threads)
    {
        var (n, k, d) = Shape(queries, rows, index);
        float* q = Pointer<float>(queries), r = Pointer<float>(rows), o = Pointer<float>(result);
        long* ix = Pointer<long>(index);
        int[] order = WindowOrder(ix, n, k, out _);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var (first, end) = Share(n, threads, t);
            ForwardRange(q, r, ix, o, order, first, end, k, d);
        });
    }

    /// <summary>
    /// Gradients of <see cref="Forward"/>, each when not null: queriesGradient[i] += Σ_k g[i, k] rows[index[i, k]] and
    /// rowsGradient[index[i, k]] += g[i, k] queries[i], into zeroed contiguous tensors.
    /// </summary>
    public static void Backward(Tensor gradient, Tensor queries, Tensor rows, Tensor index, Tensor? queriesGradient, Tensor? rowsGradient, int threads)
    {
        var (n, k, d) = Shape(queries, rows, index);
        float* g = Pointer<float>(gradient), q = Pointer<float>(queries), r = Pointer<float>(rows);
        long* ix = Pointer<long>(index);
        float* gq = queriesGradient is null ? null : Pointer<float>(queriesGradient);
        int[] order = WindowOrder(ix, n, k, out long[] sortedFirsts);
        if (rowsGradient is null)
        {
            // Nothing is scattered: queries split across threads as in the forward pass.
            if (gq is null) return;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var (first, end) = Share(n, threads, t);
                AccumulateRange(g, q, r, ix, gq, null, order, first, end, k, d, 0, rows.shape[0]);
            });
            return;
        }
        float* gr = Pointer<float>(rowsGradient);
        long[] bands = Bands(sortedFirsts, rows.shape[0], threads);
        int owners = bands.Length - 1;
        // A query's rows may lie in several bands: with several owners each sums its share of the query gradients into
        // a buffer of its own, added afterwards.
        using var scope = NewDisposeScope();
        Tensor[] shares = gq is null || owners == 1 ? [] : [.. Enumerable.Range(0, owners).Select(_ => zeros([n, d], dtype: ScalarType.Float32))];
        nint[] targets = [.. Enumerable.Range(0, owners).Select(t => (nint)(shares.Length == 0 ? gq : Pointer<float>(shares[t])))];
        Parallel.For(0, owners, new ParallelOptions { MaxDegreeOfParallelism = owners }, t =>
            AccumulateRange(g, q, r, ix, (float*)targets[t], gr, order, 0, n, k, d, bands[t], bands[t + 1]));
        using Scalar one = 1.ToScalar();
        foreach (Tensor share in shares) queriesGradient!.add_(share, one);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRange(float* q, float* r, long* ix, float* o, int[] order, long first, long end, long k, long d)
    {
        for (long p = first; p < end; p++)
        {
            long i = order[p];
            float* query = q + i * d;
            for (long c = i * k, last = c + k; c < last; c++)
                o[c] = Dot(query, r + ix[c] * d, (int)d);
        }
    }

    /// <summary>Over the queries order[first..end) and their candidates whose row lies in [low, high): the query gradient (if gq) and the rows' (if gr).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateRange(float* g, float* q, float* r, long* ix, float* gq, float* gr, int[] order, long first, long end, long k, long d, long low, long high)
    {
        for (long p = first; p < end; p++)
        {
            long i = order[p];
            float* query = q + i * d;
            float* queryGradient = gq is null ? null : gq + i * d;
            for (long c = i * k, last = c + k; c < last; c++)
            {
                long row = ix[c];
                if (row < low || row >= high) continue;
                float weight = g[c];
                if (queryGradient is not null) Axpy(weight, r + row * d, queryGradient, (int)d);
                if (gr is not null) Axpy(weight, query, gr + row * d, (int)d);
            }
        }
    }

    /// <summary>
    /// The queries in the order of their candidates' first rows (returned sorted): consecutive windows then overlap,
    /// and the rows they share come from cache instead of memory.
    /// </summary>
    private static int[] WindowOrder(long* ix, long n, long k, out long[] sortedFirsts)
    {
        sortedFirsts = new long[n];
        var order = new int[n];
        for (int i = 0; i < n; i++) (sortedFirsts[i], order[i]) = (ix[i * k], i);
        Array.Sort(sortedFirsts, order);
        return order;
    }

    /// <summary>
    /// Row bounds of <paramref name="owners"/> bands holding about equal numbers of candidates (by the quantiles of
    /// the queries' first rows; a window's rows follow its first closely): owners + 1 increasing bounds from 0 to rowCount.
    /// </summary>
    private static long[] Bands(long[] firsts, long rowCount, int owners)
    {
        long n = firsts.Length;
        owners = (int)Math.Clamp(owners, 1, Math.Max(1, n));
        var bounds = new List<long> { 0 };
        for (int t = 1; t < owners; t++)
        {
            long bound = firsts[n * t / owners];
            if (bound > bounds[^1] && bound < rowCount) bounds.Add(bound);
        }
        bounds.Add(Math.Max(rowCount, bounds[^1] + 1));
        return [.. bounds];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* a, float* b, int n)
    {
        int j = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<float> acc0 = default, acc1 = default;
            for (; j + 16 <= n; j += 16)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + j), Vector256.Load(b + j), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + j + 8), Vector256.Load(b + j + 8), acc1);
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; j < n; j++) sum += a[j] * b[j];
        return sum;
    }

    /// <summary>y += a x over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(float a, float* x, float* y, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(a);
            for (; j + 8 <= n; j += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(scale, Vector256.Load(x + j), Vector256.Load(y + j)), y + j);
        }
        for (; j < n; j++) y[j] += a * x[j];
    }

    private static (long N, long K, long D) Shape(Tensor queries, Tensor rows, Tensor index)
    {
        if (!queries.is_contiguous() || !rows.is_contiguous() || !index.is_contiguous())
            throw new ArgumentException("The window-correlation kernels need contiguous tensors.");
        // The kernels index memory directly: a row index outside the table must stop here, as index_select would.
        if (index.numel() > 0 && (index.min().item<long>() < 0 || index.max().item<long>() >= rows.shape[0]))
            throw new ArgumentOutOfRangeException(nameof(index), $"Row indices must lie in [0, {rows.shape[0]}).");
        return (index.shape[0], index.shape[1], rows.shape[1]);
    }

    /// <summary>The t-th of <paramref name="parts"/> contiguous shares of [0, n).</summary>
    private static (long First, long End) Share(long n, int parts, int t) => (n * t / parts, n * (t + 1) / parts);

    /// <summary>The first element of a contiguous CPU tensor (its storage's memory plus the tensor's offset into it).</summary>
    private static T* Pointer<T>(Tensor tensor) where T : unmanaged
    {
        using var storage = tensor.storage<T>();
        return (T*)storage.data_ptr() + tensor.storage_offset();
    }
}
