using IMatching.Geometry.Linear;
using IMatching.Learning.Pretraining;

namespace IMatching.Learning.Tests.Pretraining;

public class HomographyTargetsTests
{
    [Fact]
    public void Targets_are_the_mapped_queries_that_land_inside_B_with_the_margin()
    {
        // A shift by (+50, -10): queries near A's right edge leave B, those near the top leave it too.
        var shift = new Mat3(1, 0, 50, 0, 1, -10, 0, 0, 1);
        double[,] queries = { { 10, 50 }, { 200, 50 }, { 100, 15 }, { 100, 19 }, { 141, 80 }, { 142, 80 } };
        var targets = HomographyTargets.Compute(3, queries, shift, width: 200, height: 100, marginPx: 8);

        Assert.Equal([0, 3, 4], targets.Select(t => t.Index));
        Assert.All(targets, t => Assert.Equal(3, t.Pair));
        Assert.All(targets, t => Assert.Equal(1, t.Weight));
        Assert.Equal(new Vec2(60, 40), targets[0].TargetPx);
        Assert.Equal(new Vec2(150, 9), targets[1].TargetPx);
        Assert.Equal(new Vec2(191, 70), targets[2].TargetPx);
    }

    [Fact]
    public void Every_target_of_random_homographies_lies_inside_the_margin()
    {
        var queries = new double[300, 2];
        for (int i = 0; i < 300; i++) (queries[i, 0], queries[i, 1]) = (8 + i % 20 * 16, 8 + i / 20 * 16);
        for (int seed = 0; seed < 50; seed++)
        {
            var h = RandomHomography.Sample(320, 240, new HomographyAugmentation(), new Random(seed));
            var targets = HomographyTargets.Compute(0, queries, h, 320, 240, 8);
            Assert.NotEmpty(targets);
            Assert.All(targets, t =>
            {
                Assert.InRange(t.TargetPx.X, 8, 311);
                Assert.InRange(t.TargetPx.Y, 8, 231);
                Assert.Equal(RandomHomography.Apply(h, new Vec2(queries[t.Index, 0], queries[t.Index, 1])), t.TargetPx);
            });
        }
    }
}
