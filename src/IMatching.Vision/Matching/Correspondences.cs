using IMatching.Geometry.Linear;

namespace IMatching.Vision.Matching;

/// <summary>
/// Matches between two frames of a clip (indices into the clip): point i of <see cref="PointsA"/> in
/// frame A corresponds to point i of <see cref="PointsB"/> in frame B, in distorted pixels. The
/// origin id says where each match came from (e.g. a network prediction), so that what survives
/// mapping can be traced back to it.
/// </summary>
public sealed record Correspondences(int FrameA, int FrameB, Vec2[] PointsA, Vec2[] PointsB, double[] Confidence, long[] OriginIds)
{
    public int Count => PointsA.Length;

    public static Correspondences Create(int frameA, int frameB, Vec2[] pointsA, Vec2[] pointsB, double[]? confidence = null, long[]? originIds = null)
    {
        int n = pointsA.Length;
        if (pointsB.Length != n) throw new ArgumentException($"Pair {frameA}-{frameB}: {n} points in A but {pointsB.Length} in B.");
        confidence ??= Enumerable.Repeat(1.0, n).ToArray();
        originIds ??= Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        if (confidence.Length != n || originIds.Length != n) throw new ArgumentException($"Pair {frameA}-{frameB}: confidence/origin arrays do not match the {n} points.");
        for (int i = 0; i < n; i++)
            if (!pointsA[i].IsFinite || !pointsB[i].IsFinite || !double.IsFinite(confidence[i]))
                throw new ArgumentException($"Pair {frameA}-{frameB}: match {i} has a non-finite point or confidence.");
        return new Correspondences(frameA, frameB, pointsA, pointsB, confidence, originIds);
    }
}
