using IMatching.Geometry;
using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary><c>alike-frozen:N</c>: queries that do not move when the trained backbone does.</summary>
public class FrozenQueryTests
{
    [Fact]
    public void Frozen_queries_ignore_the_trained_backbone_and_equal_the_official_detector()
    {
        using var image = MatchingFixtures.Read(MatchingFixtures.TumImage);
        using var tensor = ImageTensor.FromMat(image);
        var frozen = QuerySources.Parse("alike-frozen:100", AlikeVariant.Tiny);
        Assert.IsType<FrozenAlikeQuerySource>(frozen);
        Assert.False(frozen.NeedsScoreMap);

        using var official = new AlikeBackbone(AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny));
        using var random = new AlikeBackbone(new AlikeNetwork(AlikeVariant.Tiny));
        random.Train(false);
        using var officialFeatures = official.Extract(tensor);
        using var randomFeatures = random.Extract(tensor);

        var own = new AlikeQuerySource(100).Find(tensor, officialFeatures);
        var fromRandom = frozen.Find(tensor, randomFeatures);
        Assert.Equal(100, fromRandom.Length);
        Assert.Equal(own, fromRandom);
        Assert.NotEqual(new AlikeQuerySource(100).Find(tensor, randomFeatures), fromRandom);
    }

    [Fact]
    public void A_model_spec_uses_its_own_variant_for_frozen_queries()
    {
        using var matcher = (ExpectationMatcher)LearnedModels.CreateDifferentiable(new ModelSpec("alike-t+exp", null), new MatcherContext { Queries = "alike-frozen:50" });
        var source = Assert.IsType<FrozenAlikeQuerySource>(matcher.Queries);
        Assert.Equal(AlikeVariant.Tiny, source.Variant);
        Assert.Equal("alike-frozen:50", source.Name);
    }

    [Theory]
    [InlineData("alike-frozen:0")]
    [InlineData("alike-frozen:x")]
    public void Bad_counts_are_refused(string text) =>
        Assert.Contains("alike-frozen", Assert.Throws<UserInputException>(() => QuerySources.Parse(text)).Message);
}
