using IMatching.Geometry;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// <see cref="SunkSampling"/>'s gathers and adds on a float32 D x h x w map in CPU memory, channel plane by channel
/// plane: a thread takes a range of channels, so a plane (300 KB at 320x240) stays in its cache while every query's
/// four cells are read from it or added into it, and no two threads write the same memory. The sums are those of the
/// tensor formulation (four weighted gathers added in order; four weighted index-adds in order), in the same order,
/// without its n x D temporaries per corner.
/// </summary>
internal static unsafe class SunkSamplingKernels
{
    /// <summary>
    /// samples (D x n) = Σ over the four corners, in order, of weight x the map (D x h x w) at the corner's cell;
    /// index (int64) and weight are 4 x n. All contiguous, float32 in CPU memory.
    /// </summary>
    public static void Gather(Tensor map, Tensor index, Tensor weight, Tensor samples, int threads)
    {
        var (channels, plane, n) = (map.shape[0], map.shape[1] * map.shape[2], index.shape[1]);
        float* m = CpuMemory.Pointer<float>(map), w = CpuMemory.Pointer<float>(weight), o = CpuMemory.Pointer<float>(samples);
        long* i = CpuMemory.Pointer<long>(index);
        ForkJoin.Split(channels, threads, (first, end) =>
        {
            for (long c = first; c < end; c++)
            {
                float* cells = m + c * plane, row = o + c * n;
                for (long q = 0; q < n; q++)
                {
                    float sum = cells[i[q]] * w[q];
                    sum += cells[i[n + q]] * w[n + q];
                    sum += cells[i[2 * n + q]] * w[2 * n + q];
                    sum += cells[i[3 * n + q]] * w[3 * n + q];
                    row[q] = sum;
                }
            }
        });
    }

    /// <summary>The map's gradient (D x h x w) += each corner's weight x the samples' gradient (incoming, D x n), corner by corner, queries in order.</summary>
    public static void Scatter(Tensor gradient, Tensor index, Tensor weight, Tensor incoming, int threads)
    {
        var (channels, plane, n) = (gradient.shape[0], gradient.shape[1] * gradient.shape[2], index.shape[1]);
        float* g = CpuMemory.Pointer<float>(gradient), w = CpuMemory.Pointer<float>(weight), r = CpuMemory.Pointer<float>(incoming);
        long* i = CpuMemory.Pointer<long>(index);
        ForkJoin.Split(channels, threads, (first, end) =>
        {
            for (long c = first; c < end; c++)
            {
                float* cells = g + c * plane, row = r + c * n;
                for (int corner = 0; corner < 4; corner++)
                {
                    long* cornerIndex = i + corner * n;
                    float* cornerWeight = w + corner * n;
                    for (long q = 0; q < n; q++) cells[cornerIndex[q]] += row[q] * cornerWeight[q];
                }
            }
        });
    }
}
