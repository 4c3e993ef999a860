using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// Max-pool non-maximum suppression (as in SuperPoint/ALIKE): keeps local maxima of a (2r+1)^2 window, then twice
/// lets maxima reappear that lie outside every kept maximum's window, so a strong peak does not hide a weaker one
/// two windows away. Finite float32 scores in CPU memory go through <see cref="SimpleNmsKernel"/>, anything else
/// (CUDA, float64, a non-finite score) through the same steps as tensor operations.
/// </summary>
internal static class SimpleNms
{
    /// <summary>Scores (Bx1xHxW) with every non-maximum set to zero; does not track gradients.</summary>
    public static Tensor Apply(Tensor scores, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        using var noGrad = no_grad();
        return scores.device_type is DeviceType.CPU && scores.dtype is ScalarType.Float32 && isfinite(scores).all().item<bool>()
            ? OnPlanes(scores, radius)
            : WithTensors(scores, radius);
    }

    /// <summary>The tensor formulation (the reference's), for any device and type.</summary>
    internal static Tensor WithTensors(Tensor scores, int radius)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor zeros = zeros_like(scores);
        using Scalar zero = 0f.ToScalar();
        Tensor maxMask = scores.eq(MaxPool(scores, radius));
        for (int i = 0; i < 2; i++)
        {
            Tensor suppressed = MaxPool(maxMask.to_type(ScalarType.Float32), radius).gt(zero);
            Tensor suppressedScores = where(suppressed, zeros, scores);
            Tensor newMax = suppressedScores.eq(MaxPool(suppressedScores, radius));
            maxMask = maxMask.logical_or(newMax.logical_and(suppressed.logical_not()));
        }
        return where(maxMask, scores, zeros).MoveToOuterDisposeScope();
    }

    private static unsafe Tensor OnPlanes(Tensor scores, int radius)
    {
        Tensor input = scores.contiguous();
        Tensor result = empty_like(input);
        int height = (int)input.shape[^2], width = (int)input.shape[^1];
        long planes = input.numel() / ((long)height * width);
        float* source = CpuMemory.Pointer<float>(input), target = CpuMemory.Pointer<float>(result);
        for (long plane = 0; plane < planes; plane++)
            SimpleNmsKernel.Apply(source + plane * height * width, target + plane * height * width, height, width, radius);
        if (!ReferenceEquals(input, scores)) input.Dispose();
        return result;
    }

    private static Tensor MaxPool(Tensor x, int radius) =>
        functional.max_pool2d(x, kernel_size: 2 * radius + 1, stride: 1, padding: radius);
}
