using TorchSharp;
using IMatching.Geometry.Linear;
using IMatching.Learning.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>Where prediction <c>Index</c> of pair <c>Pair</c> should be, and how much that counts.</summary>
public readonly record struct PointTarget(int Pair, int Index, Vec2 TargetPx, double Weight);

/// <summary>The loss of a batch and how many targets it was built from.</summary>
public sealed record PointTargetLossValue(Tensor Loss, Tensor FineLoss, Tensor CoarseLoss, int Observations) : IDisposable
{
    public void Dispose()
    {
        Loss.Dispose();
        FineLoss.Dispose();
        CoarseLoss.Dispose();
    }
}

/// <summary>
/// Sum over targets of 0.5 rho(w |prediction - target|^2) with the Huber rho, exactly as the BA evaluates
/// a residual, on the fine and the coarse predictions, divided by (count x image size). The same kernel
/// serves imperative learning (targets: the map's reprojections) and supervised pretraining (targets:
/// ground-truth correspondences).
/// </summary>
public static class PointTargetLoss
{
    public static PointTargetLossValue Compute(IReadOnlyList<PairPredictions> predictions, IEnumerable<PointTarget> targets, double huberScalePx, double imageSizePx, double coarseWeight)
    {
        if (!(imageSizePx > 0)) throw new ArgumentOutOfRangeException(nameof(imageSizePx), "Image size must be positive.");
        if (!(huberScalePx > 0)) throw new ArgumentOutOfRangeException(nameof(huberScalePx), "Huber scale must be positive.");
        var byPair = new Dictionary<int, (List<long> Index, List<double> Target, List<double> Weight)>();
        foreach (var t in targets)
        {
            if (!byPair.TryGetValue(t.Pair, out var entry)) byPair[t.Pair] = entry = ([], [], []);
            entry.Index.Add(t.Index);
            entry.Target.Add(t.TargetPx.X);
            entry.Target.Add(t.TargetPx.Y);
            entry.Weight.Add(t.Weight);
        }
        int count = byPair.Values.Sum(e => e.Index.Count);
        var device = predictions.Count > 0 ? predictions[0].Fine.device : CPU;
        var dtype = predictions.Count > 0 ? predictions[0].Fine.dtype : ScalarType.Float32;
        using var scope = NewDisposeScope();
        var fine = zeros(1, dtype: dtype, device: device);
        var coarse = zeros(1, dtype: dtype, device: device);
        foreach (var (pair, entry) in byPair)
        {
            var p = predictions[pair];
            var index = tensor(entry.Index.ToArray(), device: device);
            // Targets in the predictions' own precision: a float32 copy of a pixel is only good to ~1e-5 px.
            var target = tensor(entry.Target.ToArray(), dtype: dtype, device: device).view(-1, 2);
            var weight = tensor(entry.Weight.ToArray(), dtype: dtype, device: device);
            fine = fine + HalfRho(p.Fine.index_select(0, index), target, weight, huberScalePx).sum();
            coarse = coarse + HalfRho(p.Coarse.index_select(0, index), target, weight, huberScalePx).sum();
        }
        double norm = Math.Max(1, count) * imageSizePx;
        fine = fine.Over(norm).squeeze();
        coarse = coarse.Over(norm).squeeze();
        var total = fine + coarse.Times(coarseWeight);
        return new PointTargetLossValue(total.MoveToOuterDisposeScope(), fine.MoveToOuterDisposeScope(), coarse.MoveToOuterDisposeScope(), count);
    }

    /// <summary>The linear branch takes the root of a value clamped to the scale, so its unused gradient is zero instead of NaN at e = 0.</summary>
    private static Tensor HalfRho(Tensor predicted, Tensor target, Tensor weight, double scale)
    {
        var s = weight * (predicted - target).square().sum(1);
        double b = scale * scale;
        var quadratic = s.Times(0.5);
        var linear = s.AtLeast(b).sqrt().Times(scale).Minus(0.5 * b);
        using Scalar bound = b.ToScalar();
        return where(s.le(bound), quadratic, linear);
    }
}
