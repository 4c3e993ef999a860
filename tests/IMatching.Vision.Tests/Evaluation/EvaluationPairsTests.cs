using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;

namespace IMatching.Vision.Tests.Evaluation;

public class EvaluationPairsTests
{
    private static readonly PinholeCamera Camera = new(640, 480, 500, 500, 320, 240);

    private static Sequence Frames(int count) => new("seq", [.. Enumerable.Range(0, count).Select(i =>
        new Frame(i, i * 0.1, $"/images/{i}.png", Camera, new Se3(Mat3.Identity, new Vec3(-i, 0, 0))))]);

    [Fact]
    public void SequencePairsAreLabelledBySourceIndices()
    {
        var pairs = EvaluationPairs.FromSequence(Frames(20).Slice(12, 16), [1, 3, 10]);

        Assert.Equal(["12-13", "13-14", "14-15", "15-16", "12-15", "13-16"], pairs.Select(p => p.Label));
        Assert.Equal("/images/15.png", pairs[4].ImagePathB);
        Assert.Equal((0, 3), (pairs[4].IndexA, pairs[4].IndexB));
        // Centres at x = 12 and 15 with R = I: bFromA moves points by -3 along x.
        Assert.Equal(new Vec3(-3, 0, 0), pairs[4].BFromA!.Value.Translation);
    }

    [Fact]
    public void HomographyPairsRunFromTheReferenceToEachTarget()
    {
        var set = new HomographySet("graf", "img1.png", ["img2.png", "img3.png"], [[1, 0, 5, 0, 1, 0, 0, 0, 1], [2, 0, 0, 0, 2, 0, 0, 0, 1]]);
        var pairs = EvaluationPairs.FromHomographySet(set);
        Assert.Equal(["1-2", "1-3"], pairs.Select(p => p.Label));
        Assert.Equal(new Mat3(2, 0, 0, 0, 2, 0, 0, 0, 1), pairs[1].Homography);
        Assert.Null(pairs[1].BFromA);
    }

    [Fact]
    public void FramesWithoutPosesHaveNoRelativePose()
    {
        var sequence = new Sequence("folder", [new Frame(0, 0, "a.png", Camera), new Frame(1, 1, "b.png", Camera)]);
        Assert.Null(EvaluationPairs.FromSequence(sequence, [1])[0].BFromA);
    }
}
