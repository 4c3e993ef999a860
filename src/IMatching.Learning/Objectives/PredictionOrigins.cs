using IMatching.Learning.Matching;

namespace IMatching.Learning.Objectives;

/// <summary>Where each origin id of a clip's predictions sits (pair, index): how a map observation finds its prediction.</summary>
public sealed class PredictionOrigins
{
    private readonly Dictionary<long, (int Pair, int Index)> _at = [];

    private PredictionOrigins() { }

    /// <exception cref="ArgumentException">Two predictions carry one id.</exception>
    public static PredictionOrigins Index(IReadOnlyList<PairPredictions> predictions)
    {
        var origins = new PredictionOrigins();
        for (int p = 0; p < predictions.Count; p++)
            for (int i = 0; i < predictions[p].Count; i++)
                if (!origins._at.TryAdd(predictions[p].OriginIds[i], (p, i)))
                    throw new ArgumentException($"Origin id {predictions[p].OriginIds[i]} is carried by two predictions: the map's observations cannot be traced back.");
        return origins;
    }

    /// <exception cref="ArgumentException">No prediction carries the id.</exception>
    public (int Pair, int Index) Locate(long originId) =>
        _at.TryGetValue(originId, out var at) ? at : throw new ArgumentException($"The map observes origin id {originId}, which no prediction carries.");
}
