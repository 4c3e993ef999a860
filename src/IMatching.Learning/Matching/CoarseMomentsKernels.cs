using System.Runtime.Intrinsics;
using IMatching.Geometry;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The coarse level's distribution over cells, for float32 in CPU memory: per query, softmax(correlation / T) over
/// the hw cells and its first two moments in pixels, in one pass over the query's correlations (and one in the
/// backward pass), where the tensor formulation makes and reads n x hw tensors for the scaled correlations, the
/// exponentials, the probabilities and each product. Moments are summed about the best cell, where the probability
/// is concentrated, so the variance keeps its precision in float32 (about the origin, E[x²] - E[x]² cancels in
/// pixel coordinates in the hundreds); the sums are reduced in double.
/// </summary>
internal static unsafe class CoarseMomentsKernels
{
    /// <summary>Whether these kernels serve the tensor: float32 in CPU memory. Other devices and types (CUDA, float64 gradient checks) take the tensor formulation.</summary>
    public static bool Serve(Tensor tensor) => tensor.device_type is DeviceType.CPU && tensor.dtype is ScalarType.Float32;

    /// <summary>Columns of a query's row of the forward pass's result: its largest correlation, the sum of exponentials, E[x], E[y], Var[x], Var[y].</summary>
    public const int Columns = 6;

    /// <summary>
    /// rows (n x <see cref="Columns"/>) and best (n, int64: the first cell of largest correlation) for correlation
    /// (n x hw) and the cells' positions (hw x 2 pixels, x then y); all contiguous.
    /// </summary>
    public static void Forward(Tensor correlation, Tensor positions, double temperature, Tensor rows, Tensor best, int threads)
    {
        var (n, hw) = (correlation.shape[0], (int)correlation.shape[1]);
        float* c = CpuMemory.Pointer<float>(correlation), r = CpuMemory.Pointer<float>(rows);
        long* b = CpuMemory.Pointer<long>(best);
        var (xs, ys) = Coordinates(positions, hw);
        float inverse = (float)(1 / temperature);
        ForkJoin.Split(n, threads, (first, end) =>
        {
            fixed (float* x = xs, y = ys)
                for (long i = first; i < end; i++)
                    ForwardRow(c + i * hw, x, y, hw, inverse, r + i * Columns, b + i);
        });
    }

    /// <summary>
    /// result (n x hw) = the gradient of the correlations for the incoming gradient of (E[x], E[y], Var[x], Var[y])
    /// (n x 4), from the forward pass's rows; all contiguous.
    /// </summary>
    public static void Backward(Tensor gradient, Tensor correlation, Tensor positions, Tensor rows, double temperature, Tensor result, int threads)
    {
        var (n, hw) = (correlation.shape[0], (int)correlation.shape[1]);
        float* g = CpuMemory.Pointer<float>(gradient), c = CpuMemory.Pointer<float>(correlation), r = CpuMemory.Pointer<float>(rows), o = CpuMemory.Pointer<float>(result);
        var (xs, ys) = Coordinates(positions, hw);
        float inverse = (float)(1 / temperature);
        ForkJoin.Split(n, threads, (first, end) =>
        {
            fixed (float* x = xs, y = ys)
                for (long i = first; i < end; i++)
                    BackwardRow(g + i * 4, c + i * hw, x, y, hw, inverse, r + i * Columns, o + i * hw);
        });
    }

    private static void ForwardRow(float* c, float* xs, float* ys, int hw, float inverse, float* row, long* best)
    {
        int arg = BestCell(c, hw);
        float max = c[arg], x0 = xs[arg], y0 = ys[arg];
        Vector256<float> s = default, sx = default, sy = default, sxx = default, syy = default;
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vmax = Vector256.Create(max);
            var vinverse = Vector256.Create(inverse);
            var vx0 = Vector256.Create(x0);
            var vy0 = Vector256.Create(y0);
            for (; j + Vector256<float>.Count <= hw; j += Vector256<float>.Count)
            {
                var e = Vector256.Exp((Vector256.Load(c + j) - vmax) * vinverse);
                var dx = Vector256.Load(xs + j) - vx0;
                var dy = Vector256.Load(ys + j) - vy0;
                s += e;
                var ex = e * dx;
                var ey = e * dy;
                sx += ex;
                sy += ey;
                sxx += ex * dx;
                syy += ey * dy;
            }
        }
        double total = Vector256.Sum(s), totalX = Vector256.Sum(sx), totalY = Vector256.Sum(sy), totalXx = Vector256.Sum(sxx), totalYy = Vector256.Sum(syy);
        for (; j < hw; j++)
        {
            float e = MathF.Exp((c[j] - max) * inverse), dx = xs[j] - x0, dy = ys[j] - y0;
            total += e;
            totalX += e * dx;
            totalY += e * dy;
            totalXx += e * dx * dx;
            totalYy += e * dy * dy;
        }
        double meanX = totalX / total, meanY = totalY / total;
        row[0] = max;
        row[1] = (float)total;
        row[2] = (float)(x0 + meanX);
        row[3] = (float)(y0 + meanY);
        row[4] = (float)(totalXx / total - meanX * meanX);
        row[5] = (float)(totalYy / total - meanY * meanY);
        *best = arg;
    }

    /// <summary>
    /// d correlation_j = p_j / T (gE · (x_j - E) + gV · ((x_j - E)² - Var)): the softmax's backward pass with, for the
    /// variance, the derivative (x_j - E)² taken about the mean (the mean's own derivative adds nothing there).
    /// </summary>
    private static void BackwardRow(float* g, float* c, float* xs, float* ys, int hw, float inverse, float* row, float* output)
    {
        float max = row[0], scale = inverse / row[1], meanX = row[2], meanY = row[3], varX = row[4], varY = row[5];
        float gx = g[0], gy = g[1], gvx = g[2], gvy = g[3];
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vmax = Vector256.Create(max);
            var vinverse = Vector256.Create(inverse);
            var vscale = Vector256.Create(scale);
            var (vmx, vmy, vvx, vvy) = (Vector256.Create(meanX), Vector256.Create(meanY), Vector256.Create(varX), Vector256.Create(varY));
            var (vgx, vgy, vgvx, vgvy) = (Vector256.Create(gx), Vector256.Create(gy), Vector256.Create(gvx), Vector256.Create(gvy));
            for (; j + Vector256<float>.Count <= hw; j += Vector256<float>.Count)
            {
                var p = Vector256.Exp((Vector256.Load(c + j) - vmax) * vinverse) * vscale;
                var dx = Vector256.Load(xs + j) - vmx;
                var dy = Vector256.Load(ys + j) - vmy;
                var inner = vgx * dx + vgy * dy + vgvx * (dx * dx - vvx) + vgvy * (dy * dy - vvy);
                Vector256.Store(p * inner, output + j);
            }
        }
        for (; j < hw; j++)
        {
            float p = MathF.Exp((c[j] - max) * inverse) * scale, dx = xs[j] - meanX, dy = ys[j] - meanY;
            output[j] = p * (gx * dx + gy * dy + gvx * (dx * dx - varX) + gvy * (dy * dy - varY));
        }
    }

    /// <summary>The first cell of largest correlation (0 when a NaN leaves none: the moments are NaN then, and the step is skipped).</summary>
    private static int BestCell(float* c, int hw)
    {
        float max = c[0];
        int j = 1;
        if (Vector256.IsHardwareAccelerated && hw >= Vector256<float>.Count)
        {
            var vmax = Vector256.Load(c);
            for (j = Vector256<float>.Count; j + Vector256<float>.Count <= hw; j += Vector256<float>.Count)
                vmax = Vector256.Max(vmax, Vector256.Load(c + j));
            for (int k = 0; k < Vector256<float>.Count; k++) max = Math.Max(max, vmax[k]);
        }
        for (; j < hw; j++) max = Math.Max(max, c[j]);
        for (int k = 0; k < hw; k++)
            if (c[k] == max) return k;
        return 0;
    }

    /// <summary>The cells' x and y pixel coordinates as two arrays, for vector loads of either.</summary>
    private static (float[] Xs, float[] Ys) Coordinates(Tensor positions, int hw)
    {
        float* p = CpuMemory.Pointer<float>(positions);
        var (xs, ys) = (new float[hw], new float[hw]);
        for (int j = 0; j < hw; j++) (xs[j], ys[j]) = (p[2 * j], p[2 * j + 1]);
        return (xs, ys);
    }
}
