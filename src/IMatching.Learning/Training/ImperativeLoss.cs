using System.Globalization;
using IMatching.Learning.Matching;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Training;

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
    public static PointTargetLossValue Compute(IReadOnlyList<PairPredictions> predictions, MapResult map, double imageSizePx, double coarseWeight = 1)
    {
        if (!map.RobustLoss.StartsWith("huber:", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"The imperative loss mirrors a Huber BA; this map used '{map.RobustLoss}'.");
        double huberScale = double.Parse(map.RobustLoss[6..], CultureInfo.InvariantCulture);
        var targets = map.Observations
            .Select((o, i) => (o, i))
            .Where(x => x.o.IsInlier && x.o.Side == CorrespondenceSide.B)
            .Select(x => new PointTarget(x.o.Pair, x.o.CorrespondenceIndex, x.o.ReprojectedPx, map.Weights[x.i]));
        return PointTargetLoss.Compute(predictions, targets, huberScale, imageSizePx, coarseWeight);
    }
}
