namespace IMatching.Learning.Matching;

/// <summary>
/// Packs (pair index within a Predict call, query index within that pair) into the long the mapper carries, so an
/// observation that survives mapping leads back to the prediction it came from.
/// </summary>
public static class OriginId
{
    public static long Encode(int pair, int query) => ((long)pair << 32) | (uint)query;

    public static (int Pair, int Query) Decode(long id) => ((int)(id >> 32), (int)(id & uint.MaxValue));
}
