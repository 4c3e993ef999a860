using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// A clip's pairs that share a target frame are predicted in one call with their queries stacked; each pair's
/// predictions must be those of predicting it alone.
/// </summary>
public class ExpectationMatcherTests
{
    [Fact]
    public void Pairs_sharing_a_target_are_predicted_as_each_alone()
    {
        using var scope = NewDisposeScope();
        using var matcher = new ExpectationMatcher("alike-t+exp", new AlikeBackbone(AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny)),
            QuerySources.Parse("grid:12"), global::IMatching.Learning.Models.LearnedModels.AlikeExpectation);
        Tensor image = ImageTensor.Load(MatchingFixtures.TumImage);
        Tensor[] frames = [image, roll(image, [2, -3], [3, 2]), roll(image, [-4, 5], [3, 2])];
        // Frame 2 is the target of two pairs, which are stacked into one call.
        (int A, int B)[] pairs = [(0, 2), (0, 1), (1, 2)];
        using var mode = inference_mode();

        var together = matcher.Predict(frames, pairs);

        // The clip's frames in one batch, as Predict extracts them (a batch of one rounds the maps' last bits differently).
        var features = matcher.Backbone.Extract(cat(frames, 0)).Images();
        for (int p = 0; p < pairs.Length; p++)
        {
            var (a, b) = pairs[p];
            var points = matcher.Queries.Find(frames[a], features[a]);
            var alone = matcher.PredictPair(a, b, points, features[a], features[b]);
            Assert.Equal(alone.OriginIds.Length, together[p].OriginIds.Length);
            Assert.Equal((a, b), (together[p].FrameA, together[p].FrameB));
            double difference = new[] { (alone.Coarse, together[p].Coarse), (alone.Fine, together[p].Fine), (alone.Std!, together[p].Std!) }
                .Max(t => (t.Item1 - t.Item2).abs().max().item<float>());
            Assert.True(difference < 1e-4, $"pair {a}->{b}: predictions differ by {difference:E2} px");
        }
    }
}
