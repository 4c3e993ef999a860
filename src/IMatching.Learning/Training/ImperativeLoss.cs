using IMatching.Learning.Matching;
using IMatching.Learning.Objectives;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Training;

/// <summary>
/// The imperative-learning loss: for every prediction that survived mapping, the BA's own robust cost
/// between the map's reprojection (a constant: poses and landmarks carry no gradient) and the predicted
/// point, on the fine and the coarse level, averaged and divided by the image size. On the fine level this
/// is the BA objective restricted to the predictions (the map's loss kernel and weights), so by the envelope
/// theorem its gradient is the gradient of the optimal BA cost: nothing of the solver needs unrolling. With
/// the default Huber kernel it is the "clamped L2 distance": a far-off point pulls with bounded force.
/// </summary>
public static class ImperativeLoss
{
    public static PointTargetLossValue Compute(IReadOnlyList<PairPredictions> predictions, MapResult map, double imageSizePx, double coarseWeight = 1)
    {
        var origins = PredictionOrigins.Index(predictions);
        var targets = map.Observations
            .Where(o => o.IsInlier && o.Side == CorrespondenceSide.B)
            .Select(o => origins.Locate(o.OriginId) is var (pair, index) ? new PointTarget(pair, index, o.ReprojectedPx, o.Weight) : default);
        return PointTargetLoss.Compute(predictions, targets, map.Loss, imageSizePx, coarseWeight);
    }
}
