using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;
using IMatching.Vision.Mapping;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Mapping;

/// <summary>Features merge within the radius (the oldest found first), tracks chain them, and a frame seen twice in a track keeps its best-supported feature.</summary>
public class TrackBuilderTests
{
    private static readonly PinholeCamera[] Cameras = [.. Enumerable.Repeat(new PinholeCamera(640, 480, 500, 500, 320, 240), 4)];

    private static Correspondences Pair(int a, int b, params (double Xa, double Ya, double Xb, double Yb)[] m) =>
        Correspondences.Create(a, b, [.. m.Select(x => new Vec2(x.Xa, x.Ya))], [.. m.Select(x => new Vec2(x.Xb, x.Yb))],
            originIds: [.. m.Select((_, i) => 100L * a + 10 * b + i)]);

    [Fact]
    public void EndsWithinTheRadiusAreOneFeatureWithTheirSourcesInArrivalOrder()
    {
        var builder = new TrackBuilder(Cameras, [Pair(0, 1, (10, 10, 20, 20)), Pair(0, 2, (10.3, 10, 30, 30), (10.9, 10, 40, 40))], 0.5);
        Assert.Equal(5, builder.Count);
        Assert.Equal(6, builder.SourceCount);
        var merged = builder.Sources(0).ToArray();
        Assert.Equal([new Vec2(10, 10), new Vec2(10.3, 10)], merged.Select(s => s.PixelPx));
        Assert.Equal([10L, 20L], merged.Select(s => s.OriginId));
        Assert.All(merged, s => Assert.Equal(CorrespondenceSide.A, s.Side));
        // 0.9 px from the first end, and the second merged into the first rather than becoming a feature: a new feature.
        Assert.Equal(new Vec2(10.9, 10), builder.Pixel[3]);
        Assert.Equal(new Vec2((10.0 - 320) / 500, (10.0 - 240) / 500), builder.Normalized[0]);
        Assert.Equal([[0, 1, 2], [3, 4]], builder.Tracks());
    }

    [Fact]
    public void AnEndNearTwoFeaturesOfOneCellJoinsTheOlder()
    {
        // Both features in the 0.5 px cell (20, 20), 0.64 px apart; the end is nearer the newer one but within reach of both.
        var builder = new TrackBuilder(Cameras, [Pair(0, 1, (10, 10, 20, 20), (10.45, 10.45, 30, 30)), Pair(0, 2, (10.2, 10.3, 40, 40))], 0.5);
        Assert.Equal(2, builder.Sources(0).Length);
        Assert.Equal(1, builder.Sources(2).Length);
    }

    [Fact]
    public void AFrameReachedTwiceKeepsTheFeatureMoreEndsAgreeOnAndLosesBothOnATie()
    {
        Correspondences[] tie = [Pair(0, 1, (100, 100, 200, 200)), Pair(0, 2, (150, 150, 300, 300)), Pair(1, 2, (200, 200, 300, 300))];
        // Features: 0 (frame 0, 100), 1 (frame 1), 2 (frame 0, 150), 3 (frame 2); frame 0's two features have one end each.
        Assert.Equal([[1, 3]], new TrackBuilder(Cameras, tie, 0.5).Tracks());
        // A fourth pair gives feature 2 a second end: frame 0 keeps it, in the place of the frame's first feature.
        Correspondences[] supported = [.. tie, Pair(0, 3, (150, 150, 400, 400))];
        Assert.Equal([[2, 1, 3, 4]], new TrackBuilder(Cameras, supported, 0.5).Tracks());
    }
}
