using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Vision.Matching;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>The inference adapter reuses a frame's features across pairs without ever confusing two frames, and leaves the network untouched.</summary>
public class DifferentiablePairMatcherTests
{
    [Fact]
    public void Reused_features_give_what_a_fresh_adapter_gives_and_a_reused_index_with_other_pixels_is_recomputed()
    {
        using var a = MatchingFixtures.Read(MatchingFixtures.TumImage);
        using var b = MatchingFixtures.Shifted(a, 2.5, -1.25);
        using var c = MatchingFixtures.Shifted(a, -3.0, 2.0);
        using var matcher = MatchingFixtures.AlikeExpectation(AlikeVariant.Tiny, 64);
        using var adapter = new DifferentiablePairMatcher(matcher, ownsMatcher: false);

        adapter.Match(a, b, 0, 1);
        // Frame 1 is met again: its features come from the cache.
        AssertSame(Fresh(matcher, b, c, 1, 2), adapter.Match(b, c, 1, 2));
        // Another sequence numbers a different image 0: equal indices must not be a hit.
        AssertSame(Fresh(matcher, c, b, 0, 1), adapter.Match(c, b, 0, 1));
        // And the same image under another index is still that image.
        AssertSame(Fresh(matcher, a, b, 7, 8), adapter.Match(a, b, 7, 8));
    }

    [Fact]
    public void Matching_runs_in_evaluation_mode_and_changes_no_weight_or_buffer()
    {
        using var a = MatchingFixtures.Read(MatchingFixtures.TumImage);
        using var b = MatchingFixtures.Shifted(a, 1.5, 0.5);
        using var matcher = MatchingFixtures.AlikeExpectation(AlikeVariant.Tiny, 64);
        using var scope = NewDisposeScope();
        var before = matcher.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        matcher.Train(true);

        using (var adapter = new DifferentiablePairMatcher(matcher, ownsMatcher: false))
            Assert.True(adapter.Match(a, b, 0, 1).Count > 0);

        Assert.False(matcher.Network.training);
        foreach (var (name, value) in matcher.Network.state_dict())
            Assert.True(value.equal(before[name]).all().item<bool>(), $"{name} changed");
    }

    private static Correspondences Fresh(IDifferentiableMatcher matcher, Mat imageA, Mat imageB, int frameA, int frameB)
    {
        using var adapter = new DifferentiablePairMatcher(matcher, ownsMatcher: false);
        return adapter.Match(imageA, imageB, frameA, frameB);
    }

    private static void AssertSame(Correspondences expected, Correspondences actual)
    {
        Assert.Equal((expected.FrameA, expected.FrameB), (actual.FrameA, actual.FrameB));
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.PointsA[i], actual.PointsA[i]);
            Assert.Equal(expected.PointsB[i], actual.PointsB[i]);
        }
    }
}
