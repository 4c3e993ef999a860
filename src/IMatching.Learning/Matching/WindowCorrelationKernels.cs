using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IMatching.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The fine window's correlations for float32 maps in CPU memory, computed on the map as the backbone left it
/// (D x h x w): out[i, y, x] = ⟨queries[i], map[:, y0 + y, x0 + x]⟩ over an S x S window whose first cell is
/// (x0, y0), 0 outside the map. A window's line of S cells is S contiguous floats in each channel plane, so both
/// passes stream the map in place with vector multiply-adds: no channels-last copy of the map, no gathered
/// candidates, and the map's gradient is accumulated in the map's own layout. Queries are visited in the order of
/// their windows (overlapping windows then read shared lines from cache); the forward pass splits them across
/// threads, the backward pass gives each thread a band of the map's rows to add into, so no two threads write the
/// same memory and no per-thread copy of the gradient exists. Queries whose windows start at the same cell (with the
/// window on the nearest coarse cell, about seven a window in training) are taken up to four at a time: each line of
/// the window is loaded once for them, and in the backward pass the map's gradient is loaded and stored once for them.
/// </summary>
internal static unsafe class WindowCorrelationKernels
{
    /// <summary>Whether these kernels serve the tensor: float32 in CPU memory. Other devices and types (CUDA, float64 gradient checks) take the tensor formulation (<see cref="WindowCorrelation"/>).</summary>
    public static bool Serve(Tensor tensor) => tensor.device_type is DeviceType.CPU && tensor.dtype is ScalarType.Float32;

    /// <summary>result (n x S x S) = the window correlations. queries n x D, map D x h x w, origins n x 2 int64 (x0, y0); all contiguous.</summary>
    public static void Forward(Tensor queries, Tensor map, Tensor origins, int size, Tensor result, int threads)
    {
        var shape = Shape(queries, map, origins, size);
        float* q = CpuMemory.Pointer<float>(queries), m = CpuMemory.Pointer<float>(map), o = CpuMemory.Pointer<float>(result);
        long* xy = CpuMemory.Pointer<long>(origins);
        var order = WindowOrder(xy, shape);
        ForkJoin.Split(shape.N, threads, (first, end) => ForwardRange(q, m, xy, o, order, first, end, shape));
    }

    /// <summary>
    /// Gradients of <see cref="Forward"/> for the incoming n x S x S gradient, each when not null: queriesGradient
    /// (n x D) and mapGradient (D x h x w) accumulated into zeroed contiguous tensors.
    /// </summary>
    public static void Backward(Tensor gradient, Tensor queries, Tensor map, Tensor origins, int size, Tensor? queriesGradient, Tensor? mapGradient, int threads)
    {
        var shape = Shape(queries, map, origins, size);
        float* g = CpuMemory.Pointer<float>(gradient), q = CpuMemory.Pointer<float>(queries), m = CpuMemory.Pointer<float>(map);
        long* xy = CpuMemory.Pointer<long>(origins);
        float* gq = queriesGradient is null ? null : CpuMemory.Pointer<float>(queriesGradient);
        var order = WindowOrder(xy, shape);
        if (mapGradient is null)
        {
            // Nothing is added into the map: queries split across threads as in the forward pass.
            if (gq is null) return;
            ForkJoin.Split(shape.N, threads, (first, end) => AccumulateRange(g, q, m, xy, gq, null, order, first, end, shape, 0, shape.H));
            return;
        }
        float* gm = CpuMemory.Pointer<float>(mapGradient);
        long[] bands = Bands(xy, order.Queries, shape.H, threads);
        int owners = bands.Length - 1;
        // A window's lines may lie in several bands: with several owners each sums its share of the query gradients
        // into a buffer of its own, added afterwards.
        using var scope = NewDisposeScope();
        Tensor[] shares = gq is null || owners == 1 ? [] : [.. Enumerable.Range(0, owners).Select(_ => zeros([shape.N, shape.D], dtype: ScalarType.Float32))];
        nint[] targets = [.. Enumerable.Range(0, owners).Select(t => (nint)(shares.Length == 0 ? gq : CpuMemory.Pointer<float>(shares[t])))];
        ForkJoin.Run(owners, t =>
            AccumulateRange(g, q, m, xy, (float*)targets[t], gm, order, 0, shape.N, shape, bands[t], bands[t + 1]));
        using Scalar one = 1.ToScalar();
        foreach (Tensor share in shares) queriesGradient!.add_(share, one);
    }

    /// <summary>
    /// Channels each pass over the queries covers. All 128 channels of a band of windows (16 rows of a 320-wide map:
    /// 2.6 MB) do not stay in a core's cache from one window to the next; 16 channels' do, so the windows' overlap is
    /// read from cache, and each pass adds into the outputs (or gradients) what the earlier ones left. Every sum still
    /// runs over the channels, lines and queries in the same order, so the results are the same to the bit. Measured
    /// (320x240, 4000 queries, the head's 7 pairs forward and backward): 1.63-1.69 s with all channels at once, 1.38-1.41 s
    /// with 16, 1.36-1.40 s with 8, 1.42-1.47 s with 32.
    /// </summary>
    private const long ChannelBlock = 16;

    /// <summary>Sizes of one call: n queries, D channels, an h x w map, S x S windows.</summary>
    private readonly record struct Sizes(long N, long D, long H, long W, int S)
    {
        public long Plane => H * W;
    }

    private static void ForwardRange(float* q, float* m, long* xy, float* o, Order order, long first, long end, Sizes z)
    {
        for (long p = first; p < end; p++) new Span<float>(o + order.Queries[p] * z.S * z.S, z.S * z.S).Clear();
        Walk(new CorrelateWindow(q, m, o), xy, order, first, end, z, 0, z.H);
    }

    /// <summary>
    /// Over the queries order[first..end) and their window lines on map rows [top, bottom): the query gradient (if gq)
    /// and the map's (if gm).
    /// </summary>
    private static void AccumulateRange(float* g, float* q, float* m, long* xy, float* gq, float* gm, Order order, long first, long end, Sizes z, long top, long bottom) =>
        Walk(new AccumulateWindow(g, q, m, gq, gm), xy, order, first, end, z, top, bottom);

    /// <summary>
    /// Both passes' loops: blocks of channels, then the queries order[first..end) in window order, the queries of a
    /// window four at a time and the last one to three together; each window's lines that lie on map rows
    /// [top, bottom) and its cells on the map go to <paramref name="pass"/> (a struct, so the JIT compiles the walk once
    /// per pass with the window's work inlined). Every output and gradient is summed in the same order however the
    /// queries are grouped, so grouping changes no bit of the results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Walk<TPass>(TPass pass, long* xy, Order order, long first, long end, Sizes z, long top, long bottom) where TPass : struct, IWindowPass
    {
        long firstRow = Math.Max(top, 0), endRow = Math.Min(bottom, z.H);
        int[] queries = order.Queries, sameWindowEnd = order.SameWindowEnd;
        for (long c0 = 0; c0 < z.D; c0 += ChannelBlock)
        {
            long c1 = Math.Min(z.D, c0 + ChannelBlock);
            for (long p = first, next; p < end; p = next)
            {
                next = Math.Min(sameWindowEnd[p], end);
                long i = queries[p];
                long x0 = xy[2 * i], y0 = xy[2 * i + 1];
                var (xs, xe) = Inside(x0, z);
                if (xs >= xe) continue;
                int firstLine = (int)Math.Clamp(firstRow - y0, 0, z.S), endLine = (int)Math.Clamp(endRow - y0, 0, z.S);
                if (firstLine >= endLine) continue;
                var window = new Window(firstLine, endLine, (y0 + firstLine) * z.W + x0 + xs, xs, xe - xs, c0, c1);
                long k = p;
                for (; k + 4 <= next; k += 4) pass.Queries<Four>(queries, k, window, z);
                switch (next - k)
                {
                    case 3: pass.Queries<Three>(queries, k, window, z); break;
                    case 2: pass.Queries<Two>(queries, k, window, z); break;
                    case 1: pass.Queries<One>(queries, k, window, z); break;
                }
            }
        }
    }

    /// <summary>
    /// The part of a window a pass works on: lines [FirstLine, EndLine), cells [Xs, Xs + Count) of each, channels
    /// [C0, C1). The first of those lines starts at Offset in each channel plane, the others follow a map row apart.
    /// </summary>
    private readonly record struct Window(int FirstLine, int EndLine, long Offset, int Xs, int Count, long C0, long C1);

    /// <summary>
    /// How many queries with the same window a pass takes together, as a type: the JIT compiles each count on its own,
    /// with the unused queries' work removed as dead code, so one kernel serves one to four queries.
    /// </summary>
    private interface IQueryCount
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IQueryCount { public static int Count => 1; }
    private readonly struct Two : IQueryCount { public static int Count => 2; }
    private readonly struct Three : IQueryCount { public static int Count => 3; }
    private readonly struct Four : IQueryCount { public static int Count => 4; }

    /// <summary>A pass's work on a window for the queries order[at..at + TCount) that share it.</summary>
    private interface IWindowPass
    {
        void Queries<TCount>(int[] order, long at, Window w, Sizes z) where TCount : struct, IQueryCount;
    }

    /// <summary>
    /// Forward: each line's outputs += query · cells. A line's outputs stay in registers across the block's channels
    /// (one load and one store of each output per block, not per channel), adding in the same order as an
    /// output-by-output multiply-add would, so the sums are the same to the bit. Each cell vector is loaded once for
    /// all the queries.
    /// </summary>
    private readonly struct CorrelateWindow(float* q, float* m, float* o) : IWindowPass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Queries<TCount>(int[] order, long at, Window w, Sizes z) where TCount : struct, IQueryCount
        {
            int n = TCount.Count;
            long i0 = order[at], i1 = n > 1 ? order[at + 1] : i0, i2 = n > 2 ? order[at + 2] : i0, i3 = n > 3 ? order[at + 3] : i0;
            float* q0 = q + i0 * z.D, q1 = q + i1 * z.D, q2 = q + i2 * z.D, q3 = q + i3 * z.D;
            int count = w.Count;
            const int V = 8; // Vector256<float>.Count
            for (int line = w.FirstLine; line < w.EndLine; line++)
            {
                long lineAt = line * z.S + w.Xs, window = z.S * z.S;
                float* o0 = o + i0 * window + lineAt, o1 = o + i1 * window + lineAt, o2 = o + i2 * window + lineAt, o3 = o + i3 * window + lineAt;
                float* cells = m + w.Offset + (line - w.FirstLine) * z.W;
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; j + 2 * V <= count; j += 2 * V)
                    {
                        Vector256<float> l0 = Vector256.Load(o0 + j), h0 = Vector256.Load(o0 + j + V), l1 = default, h1 = default, l2 = default, h2 = default, l3 = default, h3 = default;
                        if (n > 1) (l1, h1) = (Vector256.Load(o1 + j), Vector256.Load(o1 + j + V));
                        if (n > 2) (l2, h2) = (Vector256.Load(o2 + j), Vector256.Load(o2 + j + V));
                        if (n > 3) (l3, h3) = (Vector256.Load(o3 + j), Vector256.Load(o3 + j + V));
                        for (long c = w.C0; c < w.C1; c++)
                        {
                            float* row = cells + c * z.Plane + j;
                            var low = Vector256.Load(row);
                            var high = Vector256.Load(row + V);
                            var s = Vector256.Create(q0[c]);
                            (l0, h0) = (Vector256.FusedMultiplyAdd(s, low, l0), Vector256.FusedMultiplyAdd(s, high, h0));
                            if (n > 1)
                            {
                                s = Vector256.Create(q1[c]);
                                (l1, h1) = (Vector256.FusedMultiplyAdd(s, low, l1), Vector256.FusedMultiplyAdd(s, high, h1));
                            }
                            if (n > 2)
                            {
                                s = Vector256.Create(q2[c]);
                                (l2, h2) = (Vector256.FusedMultiplyAdd(s, low, l2), Vector256.FusedMultiplyAdd(s, high, h2));
                            }
                            if (n > 3)
                            {
                                s = Vector256.Create(q3[c]);
                                (l3, h3) = (Vector256.FusedMultiplyAdd(s, low, l3), Vector256.FusedMultiplyAdd(s, high, h3));
                            }
                        }
                        Vector256.Store(l0, o0 + j); Vector256.Store(h0, o0 + j + V);
                        if (n > 1) { Vector256.Store(l1, o1 + j); Vector256.Store(h1, o1 + j + V); }
                        if (n > 2) { Vector256.Store(l2, o2 + j); Vector256.Store(h2, o2 + j + V); }
                        if (n > 3) { Vector256.Store(l3, o3 + j); Vector256.Store(h3, o3 + j + V); }
                    }
                    for (; j + V <= count; j += V)
                    {
                        Vector256<float> s0 = Vector256.Load(o0 + j), s1 = default, s2 = default, s3 = default;
                        if (n > 1) s1 = Vector256.Load(o1 + j);
                        if (n > 2) s2 = Vector256.Load(o2 + j);
                        if (n > 3) s3 = Vector256.Load(o3 + j);
                        for (long c = w.C0; c < w.C1; c++)
                        {
                            var cell = Vector256.Load(cells + c * z.Plane + j);
                            s0 = Vector256.FusedMultiplyAdd(Vector256.Create(q0[c]), cell, s0);
                            if (n > 1) s1 = Vector256.FusedMultiplyAdd(Vector256.Create(q1[c]), cell, s1);
                            if (n > 2) s2 = Vector256.FusedMultiplyAdd(Vector256.Create(q2[c]), cell, s2);
                            if (n > 3) s3 = Vector256.FusedMultiplyAdd(Vector256.Create(q3[c]), cell, s3);
                        }
                        Vector256.Store(s0, o0 + j);
                        if (n > 1) Vector256.Store(s1, o1 + j);
                        if (n > 2) Vector256.Store(s2, o2 + j);
                        if (n > 3) Vector256.Store(s3, o3 + j);
                    }
                }
                for (; j < count; j++)
                {
                    o0[j] = Dot(q0, cells + j, o0[j], w, z);
                    if (n > 1) o1[j] = Dot(q1, cells + j, o1[j], w, z);
                    if (n > 2) o2[j] = Dot(q2, cells + j, o2[j], w, z);
                    if (n > 3) o3[j] = Dot(q3, cells + j, o3[j], w, z);
                }
            }
        }

        /// <summary>sum + the block's channels of query · the cell at <paramref name="cell"/>, one channel after another.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float Dot(float* query, float* cell, float sum, Window w, Sizes z)
        {
            for (long c = w.C0; c < w.C1; c++) sum += query[c] * cell[c * z.Plane];
            return sum;
        }
    }

    /// <summary>
    /// Backward: each query's gradient += incoming · cells (if gq), the cells' += query x incoming (if gm). Channel by
    /// channel over the window's lines, so a channel's products with the incoming gradient are summed in a vector
    /// register and reduced once per window, not once per line. Each cell vector and each of the cells' gradients is
    /// loaded once for all the queries, whose products are added into the gradient one after another, in their order.
    /// </summary>
    private readonly struct AccumulateWindow(float* g, float* q, float* m, float* gq, float* gm) : IWindowPass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Queries<TCount>(int[] order, long at, Window w, Sizes z) where TCount : struct, IQueryCount
        {
            int n = TCount.Count;
            long i0 = order[at], i1 = n > 1 ? order[at + 1] : i0, i2 = n > 2 ? order[at + 2] : i0, i3 = n > 3 ? order[at + 3] : i0;
            float* q0 = q + i0 * z.D, q1 = q + i1 * z.D, q2 = q + i2 * z.D, q3 = q + i3 * z.D;
            bool queryGradients = gq is not null;
            int count = w.Count, vectors = Vector256.IsHardwareAccelerated ? count / Vector256<float>.Count * Vector256<float>.Count : 0;
            long window = z.S * z.S;
            for (long c = w.C0; c < w.C1; c++)
            {
                Vector256<float> sum0 = Vector256<float>.Zero, sum1 = sum0, sum2 = sum0, sum3 = sum0;
                float rest0 = 0, rest1 = 0, rest2 = 0, rest3 = 0;
                Vector256<float> k0 = Vector256.Create(q0[c]), k1 = default, k2 = default, k3 = default;
                if (n > 1) k1 = Vector256.Create(q1[c]);
                if (n > 2) k2 = Vector256.Create(q2[c]);
                if (n > 3) k3 = Vector256.Create(q3[c]);
                for (int line = w.FirstLine; line < w.EndLine; line++)
                {
                    long lineAt = line * z.S + w.Xs;
                    float* g0 = g + i0 * window + lineAt, g1 = g + i1 * window + lineAt, g2 = g + i2 * window + lineAt, g3 = g + i3 * window + lineAt;
                    long cellAt = c * z.Plane + w.Offset + (line - w.FirstLine) * z.W;
                    float* cells = m + cellAt, cellGradients = gm is null ? null : gm + cellAt;
                    int j = 0;
                    for (; j < vectors; j += Vector256<float>.Count)
                    {
                        Vector256<float> v0 = Vector256.Load(g0 + j), v1 = default, v2 = default, v3 = default;
                        if (n > 1) v1 = Vector256.Load(g1 + j);
                        if (n > 2) v2 = Vector256.Load(g2 + j);
                        if (n > 3) v3 = Vector256.Load(g3 + j);
                        if (queryGradients)
                        {
                            var cell = Vector256.Load(cells + j);
                            sum0 = Vector256.FusedMultiplyAdd(v0, cell, sum0);
                            if (n > 1) sum1 = Vector256.FusedMultiplyAdd(v1, cell, sum1);
                            if (n > 2) sum2 = Vector256.FusedMultiplyAdd(v2, cell, sum2);
                            if (n > 3) sum3 = Vector256.FusedMultiplyAdd(v3, cell, sum3);
                        }
                        if (cellGradients is not null)
                        {
                            var added = Vector256.FusedMultiplyAdd(k0, v0, Vector256.Load(cellGradients + j));
                            if (n > 1) added = Vector256.FusedMultiplyAdd(k1, v1, added);
                            if (n > 2) added = Vector256.FusedMultiplyAdd(k2, v2, added);
                            if (n > 3) added = Vector256.FusedMultiplyAdd(k3, v3, added);
                            Vector256.Store(added, cellGradients + j);
                        }
                    }
                    for (; j < count; j++)
                    {
                        if (queryGradients)
                        {
                            rest0 += g0[j] * cells[j];
                            if (n > 1) rest1 += g1[j] * cells[j];
                            if (n > 2) rest2 += g2[j] * cells[j];
                            if (n > 3) rest3 += g3[j] * cells[j];
                        }
                        if (cellGradients is not null)
                        {
                            cellGradients[j] += q0[c] * g0[j];
                            if (n > 1) cellGradients[j] += q1[c] * g1[j];
                            if (n > 2) cellGradients[j] += q2[c] * g2[j];
                            if (n > 3) cellGradients[j] += q3[c] * g3[j];
                        }
                    }
                }
                if (queryGradients)
                {
                    gq[i0 * z.D + c] += Vector256.Sum(sum0) + rest0;
                    if (n > 1) gq[i1 * z.D + c] += Vector256.Sum(sum1) + rest1;
                    if (n > 2) gq[i2 * z.D + c] += Vector256.Sum(sum2) + rest2;
                    if (n > 3) gq[i3 * z.D + c] += Vector256.Sum(sum3) + rest3;
                }
            }
        }
    }

    /// <summary>The window columns [xs, xe) that lie on the map, for a window starting at column x0.</summary>
    private static (int Start, int End) Inside(long x0, Sizes z) => ((int)Math.Clamp(-x0, 0, z.S), (int)Math.Clamp(z.W - x0, 0, z.S));

    /// <summary>
    /// The queries in the order of their windows (top row, then first column), and for each place in that order the end
    /// of its run of queries with the same window. Windows that follow each other then overlap, and the lines they
    /// share come from cache instead of memory.
    /// </summary>
    private readonly record struct Order(int[] Queries, int[] SameWindowEnd);

    private static Order WindowOrder(long* xy, Sizes z)
    {
        var keys = new long[z.N];
        var order = new int[z.N];
        // Origins lie within S of the map (WindowTable clamps them): shifted by S both are non-negative.
        long stride = z.W + 2L * z.S;
        for (int i = 0; i < z.N; i++) (keys[i], order[i]) = ((xy[2 * i + 1] + z.S) * stride + xy[2 * i] + z.S, i);
        Array.Sort(keys, order);
        var sameWindowEnd = new int[z.N];
        for (long p = z.N - 1; p >= 0; p--)
            sameWindowEnd[p] = p + 1 < z.N && keys[p + 1] == keys[p] ? sameWindowEnd[p + 1] : (int)(p + 1);
        return new Order(order, sameWindowEnd);
    }

    /// <summary>
    /// Row bounds of <paramref name="owners"/> bands of the map holding about equal numbers of window lines (by the
    /// quantiles of the windows' top rows, read in window order, where they increase): owners + 1 increasing bounds
    /// from 0 to <paramref name="height"/>.
    /// </summary>
    private static long[] Bands(long* xy, int[] order, long height, int owners)
    {
        long n = order.Length;
        owners = (int)Math.Clamp(owners, 1, Math.Max(1, n));
        var bounds = new List<long> { 0 };
        for (int t = 1; t < owners; t++)
        {
            long bound = xy[2 * order[n * t / owners] + 1];
            if (bound > bounds[^1] && bound < height) bounds.Add(bound);
        }
        bounds.Add(Math.Max(height, bounds[^1] + 1));
        return [.. bounds];
    }

    private static Sizes Shape(Tensor queries, Tensor map, Tensor origins, int size)
    {
        if (!queries.is_contiguous() || !map.is_contiguous() || !origins.is_contiguous())
            throw new ArgumentException("The window-correlation kernels need contiguous tensors.");
        if (map.dim() != 3 || queries.shape[1] != map.shape[0] || origins.shape[0] != queries.shape[0] || origins.shape[1] != 2)
            throw new ArgumentException($"Expected n x D queries, a D x h x w map and n x 2 origins, got {Shape(queries)}, {Shape(map)} and {Shape(origins)}.");
        var sizes = new Sizes(queries.shape[0], map.shape[0], map.shape[1], map.shape[2], size);
        // The kernels address memory directly: a window that does not touch the map's S-wide border must stop here.
        if (sizes.N > 0 && (origins.min().item<long>() < -size || origins.select(1, 0).max().item<long>() > sizes.W
            || origins.select(1, 1).max().item<long>() > sizes.H))
            throw new ArgumentOutOfRangeException(nameof(origins), $"Window origins must lie within {size} cells of the {sizes.W} x {sizes.H} map.");
        return sizes;
    }

    private static string Shape(Tensor t) => string.Join(" x ", t.shape);
}
