using IMatching.Learning.Matching;
using IMatching.Vision.Mapping;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>The upper-level loss of one clip and what it was built from.</summary>
public sealed record ImperativeLossValue(Tensor Loss, Tensor FineLoss, Tensor CoarseLoss, int Observations) : IDisposable
{
    public void Dispose()
    {
        Loss.Dispose();
        FineLoss.Dispose();
        CoarseLoss.Dispose();
    }
}

/// <summary>
/// The imperative-learning loss: for every prediction that survived mapping, the BA's own robust cost
/// between the map's reprojection (a constant: poses and landmarks carry no gradient) and the predicted
/// point, on the fine and the coarse level, averaged and divided by the image size. On the fine level this
/// is the BA objective restricted to the predictions, so by the envelope theorem its gradient is the
/// gradient of the optimal BA cost: nothing of the solver needs unrolling. The Huber kernel is the
/// "clamped L2 distance": quadratic up to its scale, then linear, so a far-off point pulls with bounded force.
/// </summary>
public static class ImperativeLoss
{
    public static ImperativeLossValue Compute(IReadOnlyList<PairPredictions> predictions, MapResult map, double imageSizePx, double coarseWeight = 1)
    {
        if (!(imageSizePx > 0)) throw new ArgumentOutOfRangeException(nameof(imageSizePx), "Image size must be positive.");
        double huberScale = map.RobustLoss.StartsWith("huber:", StringComparison.OrdinalIgnoreCase)
            ? double.Parse(map.RobustLoss[6..], System.Globalization.CultureInfo.InvariantCulture)
            : throw new NotSupportedException($"The imperative loss mirrors a Huber BA; this map used '{map.RobustLoss}'.");

        var byPair = new Dictionary<int, (List<long> Index, List<double> Target, List<double> Weight)>();
        for (int i = 0; i < map.Observations.Length; i++)
        {
            var o = map.Observations[i];
            if (!o.IsInlier || o.Side != CorrespondenceSide.B) continue;
            if (!byPair.TryGetValue(o.Pair, out var entry)) byPair[o.Pair] = entry = ([], [], []);
            entry.Index.Add(o.CorrespondenceIndex);
            entry.Target.Add(o.ReprojectedPx.X);
            entry.Target.Add(o.ReprojectedPx.Y);
            entry.Weight.Add(map.Weights[i]);
        }
        int count = byPair.Values.Sum(e => e.Index.Count);
        var device = predictions.Count > 0 ? predictions[0].Fine.device : CPU;
        using var scope = NewDisposeScope();
        var dtype = predictions.Count > 0 ? predictions[0].Fine.dtype : ScalarType.Float32;
        var fine = zeros(1, dtype: dtype, device: device);
        var coarse = zeros(1, dtype: dtype, device: device);
        foreach (var (pair, entry) in byPair)
        {
            var p = predictions[pair];
            var index = tensor(entry.Index.ToArray(), device: device);
            // Targets in the predictions' own precision: a float32 copy of a pixel is only good to ~1e-5 px.
            var target = tensor(entry.Target.ToArray(), dtype: p.Fine.dtype, device: device).view(-1, 2);
            var weight = tensor(entry.Weight.ToArray(), dtype: p.Fine.dtype, device: device);
            fine = fine + HalfRho(p.Fine.index_select(0, index), target, weight, huberScale).sum();
            coarse = coarse + HalfRho(p.Coarse.index_select(0, index), target, weight, huberScale).sum();
        }
        double norm = Math.Max(1, count) * imageSizePx;
        fine = (fine / norm).squeeze();
        coarse = (coarse / norm).squeeze();
        var total = fine + coarseWeight * coarse;
        return new ImperativeLossValue(total.MoveToOuterDisposeScope(), fine.MoveToOuterDisposeScope(), coarse.MoveToOuterDisposeScope(), count);
    }

    /// <summary>
    /// 0.5 rho(w |e|^2) with Huber rho, exactly as the BA evaluates a residual. The linear branch takes the root
    /// of a value clamped to the scale, so its unused gradient is zero instead of NaN near e = 0.
    /// </summary>
    private static Tensor HalfRho(Tensor predicted, Tensor target, Tensor weight, double scale)
    {
        var s = weight * (predicted - target).square().sum(1);
        double b = scale * scale;
        var quadratic = 0.5 * s;
        var linear = scale * s.clamp_min(b).sqrt() - 0.5 * b;
        return where(s <= b, quadratic, linear);
    }
}
