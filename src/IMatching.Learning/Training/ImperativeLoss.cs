using IMatching.Learning.Matching;
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
        var origin = new Dictionary<long, (int Pair, int Index)>();
        for (int p = 0; p < predictions.Count; p++)
            for (int i = 0; i < predictions[p].Count; i++)
                if (!origin.TryAdd(predictions[p].OriginIds[i], (p, i)))
                    throw new ArgumentException($"Origin id {predictions[p].OriginIds[i]} is carried by two predictions: the map's observations cannot be traced back.");
        var targets = map.Observations
            .Where(o => o.IsInlier && o.Side == CorrespondenceSide.B)
            .Select(o => origin.TryGetValue(o.OriginId, out var at)
                ? new PointTarget(at.Pair, at.Index, o.ReprojectedPx, o.Weight)
                : throw new ArgumentException($"The map observes origin id {o.OriginId}, which no prediction carries."));
        return PointTargetLoss.Compute(predictions, targets, map.Loss, imageSizePx, coarseWeight);
    }
}
