using System.Buffers;
using System.Runtime.Intrinsics;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// <see cref="SimpleNms"/> on one float32 plane in CPU memory, with the (2r+1)^2 max filter done separably (rows,
/// then columns, each of 2r+1 vector maxima). libtorch's stride-1 <c>max_pool2d</c> visits every window whole, six
/// times per image: 90 ms of a 640x480 frame's 105 ms keypoint search here, where this takes a few. Maxima are
/// exact, so the kept pixels are the same. Finite scores only: how a NaN spreads through the maxima is
/// <c>max_pool2d</c>'s own, so the caller sends a map with any non-finite score down the tensor formulation.
/// </summary>
internal static unsafe class SimpleNmsKernel
{
    /// <summary>result (h x w) = scores with every pixel <see cref="SimpleNms"/> suppresses set to 0.</summary>
    public static void Apply(float* scores, float* result, int height, int width, int radius)
    {
        int count = height * width;
        // Scratch of a frame's size, four planes of floats and two of flags, from the shared pool: a training step
        // searches five frames, and fresh arrays of this size would each be a large-object allocation.
        float[] planes = ArrayPool<float>.Shared.Rent(4 * count);
        bool[] flags = ArrayPool<bool>.Shared.Rent(2 * count);
        try
        {
            fixed (float* scratch = planes)
            fixed (bool* flag = flags)
                Suppress(scores, result, height, width, radius, scratch, flag);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(planes);
            ArrayPool<bool>.Shared.Return(flags);
        }
    }

    /// <summary>As <see cref="Apply"/>, with scratch for four float planes and two flag planes (every element written before it is read).</summary>
    private static void Suppress(float* scores, float* result, int height, int width, int radius, float* scratch, bool* flag)
    {
        int count = height * width;
        float* pooled = scratch, rows = scratch + count, masked = scratch + 2 * count, dilated = scratch + 3 * count;
        bool* keep = flag, suppressed = flag + count;
        MaxFilter(scores, pooled, rows, height, width, radius);
        for (int i = 0; i < count; i++) keep[i] = scores[i] == pooled[i];
        for (int round = 0; round < 2; round++)
        {
            // Pixels within a window of a kept maximum are suppressed; a maximum of what remains may join.
            for (int i = 0; i < count; i++) masked[i] = keep[i] ? 1f : 0f;
            MaxFilter(masked, dilated, rows, height, width, radius);
            for (int i = 0; i < count; i++)
            {
                suppressed[i] = dilated[i] > 0f;
                masked[i] = suppressed[i] ? 0f : scores[i];
            }
            MaxFilter(masked, pooled, rows, height, width, radius);
            for (int i = 0; i < count; i++) keep[i] |= masked[i] == pooled[i] && !suppressed[i];
        }
        for (int i = 0; i < count; i++) result[i] = keep[i] ? scores[i] : 0f;
    }

    /// <summary>output = the maximum over each pixel's (2r+1)^2 window clipped to the plane; rows is scratch of the plane's size.</summary>
    private static void MaxFilter(float* input, float* output, float* rows, int height, int width, int radius)
    {
        for (int y = 0; y < height; y++)
            RowMax(input + y * width, rows + y * width, width, radius);
        for (int y = 0; y < height; y++)
        {
            int first = Math.Max(0, y - radius), last = Math.Min(height - 1, y + radius);
            float* target = output + y * width;
            new ReadOnlySpan<float>(rows + first * width, width).CopyTo(new Span<float>(target, width));
            for (int other = first + 1; other <= last; other++)
                Max(target, rows + other * width, width);
        }
    }

    /// <summary>output[x] = the maximum of input over [x - r, x + r] within the row.</summary>
    private static void RowMax(float* input, float* output, int width, int radius)
    {
        int x = 0;
        // Scalar at both ends, where the window is clipped; vectors of 8 windows in between.
        int interiorEnd = width - radius - Vector256<float>.Count;
        for (; x < Math.Min(radius, width); x++) output[x] = WindowMax(input, x, width, radius);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x <= interiorEnd; x += Vector256<float>.Count)
            {
                var max = Vector256.Load(input + x - radius);
                for (int k = 1 - radius; k <= radius; k++) max = Vector256.Max(max, Vector256.Load(input + x + k));
                Vector256.Store(max, output + x);
            }
        }
        for (; x < width; x++) output[x] = WindowMax(input, x, width, radius);
    }

    private static float WindowMax(float* row, int x, int width, int radius)
    {
        int first = Math.Max(0, x - radius), last = Math.Min(width - 1, x + radius);
        float max = row[first];
        for (int k = first + 1; k <= last; k++) max = Math.Max(max, row[k]);
        return max;
    }

    /// <summary>target = max(target, other) elementwise.</summary>
    private static void Max(float* target, float* other, int width)
    {
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; x + Vector256<float>.Count <= width; x += Vector256<float>.Count)
                Vector256.Store(Vector256.Max(Vector256.Load(target + x), Vector256.Load(other + x)), target + x);
        for (; x < width; x++) target[x] = Math.Max(target[x], other[x]);
    }
}
