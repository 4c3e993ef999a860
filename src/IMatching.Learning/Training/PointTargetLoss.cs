using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;
using IMatching.Learning.Matching;
using TorchSharp;
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
/// Sum over targets of 0.5 rho(w |prediction - target|^2) with a robust loss's own kernel (the one the BA
/// solver runs, on tensors), exactly as the BA evaluates a residual, on the fine and the coarse predictions,
/// divided by (count x image size). The same loss serves imperative learning (targets: the map's
/// reprojections, the map's loss) and supervised pretraining (targets: ground-truth correspondences, Huber).
/// </summary>
public static class PointTargetLoss
{
    /// <summary>With the Huber kernel of scale <paramref name="huberScalePx"/>.</summary>
    public static PointTargetLossValue Compute(IReadOnlyList<PairPredictions> predictions, IEnumerable<PointTarget> targets, double huberScalePx, double imageSizePx, double coarseWeight)
    {
        if (!(huberScalePx > 0)) throw new ArgumentOutOfRangeException(nameof(huberScalePx), "Huber scale must be positive.");
        return Compute(predictions, targets, new HuberLoss(huberScalePx), imageSizePx, coarseWeight);
    }

    /// <summary>With the kernel of <paramref name="loss"/>; null is the plain square.</summary>
    public static PointTargetLossValue Compute(IReadOnlyList<PairPredictions> predictions, IEnumerable<PointTarget> targets, LossFunction? loss, double imageSizePx, double coarseWeight)
    {
        if (!(imageSizePx > 0)) throw new ArgumentOutOfRangeException(nameof(imageSizePx), "Image size must be positive.");
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
            fine = fine.Plus(HalfRho(p.Fine.index_select(0, index), target, weight, loss).sum());
            coarse = coarse.Plus(HalfRho(p.Coarse.index_select(0, index), target, weight, loss).sum());
        }
        using Scalar norm = (Math.Max(1, count) * imageSizePx).ToScalar();
        using Scalar coarseScale = coarseWeight.ToScalar();
        fine = fine.div(norm).squeeze();
        coarse = coarse.div(norm).squeeze();
        var total = fine.Plus(coarse.mul(coarseScale));
        return new PointTargetLossValue(total.MoveToOuterDisposeScope(), fine.MoveToOuterDisposeScope(), coarse.MoveToOuterDisposeScope(), count);
    }

    /// <summary>0.5 rho(s) per target, s = w |predicted - target|^2, by the loss's own kernel (see <see cref="TensorKernelArithmetic"/>).</summary>
    private static Tensor HalfRho(Tensor predicted, Tensor target, Tensor weight, LossFunction? loss)
    {
        var s = weight * (predicted - target).Squared().sum(1);
        var rho = loss is null ? s : loss.Rho(new TensorKernelArithmetic(s)).Value;
        using Scalar half = 0.5.ToScalar();
        return rho.mul(half);
    }
}
