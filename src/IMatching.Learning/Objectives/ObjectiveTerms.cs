using static TorchSharp.torch;

namespace IMatching.Learning.Objectives;

/// <summary>
/// The terms of the published objective as small pure tensor functions (as kornia writes geometry), so each is
/// tested on its own. Points are n x 2 pixels; every function keeps the autograd graph of its inputs.
/// </summary>
public static class ObjectiveTerms
{
    /// <summary>
    /// ‖predicted - target‖₂ per point, clamped at <paramref name="maxPx"/>: past the clamp a point pulls no more
    /// (its gradient is zero), so a gross outlier that survived mapping cannot dominate.
    /// </summary>
    public static Tensor ClampedDistance(Tensor predicted, Tensor target, double maxPx)
    {
        using var scope = NewDisposeScope();
        // The root of a squared norm kept off zero: the distance's gradient at an exact hit is 0, not NaN.
        Tensor distance = (predicted - target).Squared().sum(1).AtLeast(1e-24).sqrt();
        return scope.MoveToOuter(distance.AtMost(maxPx));
    }

    /// <summary>
    /// Distance in pixels of each <paramref name="predictedB"/> from the epipolar line F·xA of its query
    /// (CAPS's epipolar cost): |xBᵀ F xA| / ‖(F xA)₀,₁‖.
    /// </summary>
    /// <param name="fundamental">3 x 3, in the points' precision and device.</param>
    public static Tensor EpipolarDistance(Tensor queriesA, Tensor predictedB, Tensor fundamental)
    {
        using var scope = NewDisposeScope();
        Tensor lines = Homogeneous(queriesA).matmul(fundamental.t());                         // n x 3: (F xA)ᵀ
        Tensor norm = lines.narrow(1, 0, 2).Squared().sum(1).sqrt().AtLeast(1e-8);
        Tensor algebraic = (Homogeneous(predictedB) * lines).sum(1).abs();
        return scope.MoveToOuter(algebraic / norm);
    }

    /// <summary>
    /// CAPS's weights: the inverse spread normalised to mean 1 (a confident prediction counts more), zero where
    /// <paramref name="keep"/> is false, renormalised to mean 1; constants for the gradient.
    /// </summary>
    public static Tensor InverseSpreadWeights(Tensor spread, Tensor keep)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor inverse = spread.detach().AtLeast(1e-10).reciprocal();
        Tensor weight = inverse / inverse.mean() * keep.to_type(spread.dtype);
        Tensor mean = weight.mean();
        // No point kept: all weights 0, not 0/0.
        return scope.MoveToOuter(mean.to_type(ScalarType.Float64).item<double>() > 0 ? weight / mean : weight);
    }

    private static Tensor Homogeneous(Tensor points) => cat([points, ones(points.shape[0], 1, dtype: points.dtype, device: points.device)], 1);
}
