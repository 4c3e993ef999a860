using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// Max-pool non-maximum suppression (as in SuperPoint/ALIKE): keeps local maxima of a (2r+1)^2 window, then twice
/// lets maxima reappear that lie outside every kept maximum's window, so a strong peak does not hide a weaker one
/// two windows away.
/// </summary>
internal static class SimpleNms
{
    /// <summary>Scores (Bx1xHxW) with every non-maximum set to zero; does not track gradients.</summary>
    public static Tensor Apply(Tensor scores, int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
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

    private static Tensor MaxPool(Tensor x, int radius) =>
        functional.max_pool2d(x, kernel_size: 2 * radius + 1, stride: 1, padding: radius);
}
