using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Matching;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>The ALIKE weights shipped inside the library are the official files, and specs without a path use them.</summary>
public class OfficialAlikeWeightsTests
{
    [Theory]
    [InlineData(AlikeVariant.Tiny)]
    [InlineData(AlikeVariant.Normal)]
    public void Shipped_weights_equal_the_official_file(AlikeVariant variant)
    {
        using var shipped = AlikeNetwork.LoadOfficial(variant);
        using var official = AlikeNetwork.Load(MatchingFixtures.AlikeWeights(variant), variant);
        var expected = official.state_dict();
        foreach (var (name, tensor) in shipped.state_dict())
            Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"{name} differs");
        Assert.False(shipped.training);
    }

    [Fact]
    public void A_spec_without_a_path_uses_the_shipped_weights()
    {
        using var matcher = LearnedModels.CreateDifferentiable(new ModelSpec("alike-t+exp", null), new MatcherContext { Queries = "grid:16" });
        using var official = AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny);
        var expected = official.state_dict();
        foreach (var (name, tensor) in matcher.Network.state_dict())
            Assert.True(tensor.eq(expected[name]).all().item<bool>(), $"{name} differs");
    }

    [Fact]
    public void Unshipped_variants_are_refused_with_what_is_shipped()
    {
        var error = Assert.Throws<IMatching.Geometry.UserInputException>(() => AlikeNetwork.LoadOfficial(AlikeVariant.Large));
        Assert.Contains("alike-l.pth", error.Message);
        Assert.Contains("alike-n.pth", error.Message);
    }
}
