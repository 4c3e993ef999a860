using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Matching;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Models;

/// <summary>
/// Evaluation is inference: every model a spec builds starts in inference mode, and matching leaves every weight and
/// buffer (batch-norm statistics included) bit for bit as it was, even when training mode was left on.
/// </summary>
public class InferenceModeTests
{
    private static string AlikeT => MatchingFixtures.AlikeWeights(AlikeVariant.Tiny);

    [Theory]
    [InlineData("alike-t+exp")]
    [InlineData("alike-t+reg")]
    [InlineData("caps-resnet18")]
    public void Every_built_model_is_in_inference_mode(string name)
    {
        string weights = name.StartsWith("caps", StringComparison.Ordinal) ? MatchingFixtures.CapsRandomWeights : AlikeT;
        using var matcher = LearnedModels.CreateDifferentiable(new ModelSpec(name, weights), new MatcherContext { Queries = "grid:16" });
        Assert.All(matcher.Network.modules().Prepend(matcher.Network), m => Assert.False(m.training, $"{m.GetName()} is in training mode"));
    }

    [Fact]
    public void Random_initialisation_is_in_inference_mode_too()
    {
        using var matcher = LearnedModels.CreateDifferentiable(new ModelSpec("alike-t+exp", null), new MatcherContext { RandomInitialization = true, Queries = "grid:16" });
        Assert.False(matcher.Network.training);
    }

    [Theory]
    [InlineData("alike-t+exp")]
    [InlineData("caps-resnet18")]
    public void Matching_changes_no_weight_or_buffer_even_after_training_mode(string name)
    {
        string weights = name.StartsWith("caps", StringComparison.Ordinal) ? MatchingFixtures.CapsRandomWeights : AlikeT;
        using var matcher = new DifferentiablePairMatcher(LearnedModels.CreateDifferentiable(new ModelSpec(name, weights), new MatcherContext { Queries = "grid:8" }));
        matcher.Matcher.Train(true);
        var before = Snapshot(matcher.Matcher.Network);
        using var image = MatchingFixtures.Read(MatchingFixtures.TumImage);
        using var small = image.Resize(new OpenCvSharp.Size(96, 72));
        using var shifted = MatchingFixtures.Shifted(small, 2, 1);
        var matches = matcher.Match(small, shifted, 0, 1);
        Assert.True(matches.Count > 0);
        Assert.False(matcher.Matcher.Network.training);
        AssertIdentical(before, Snapshot(matcher.Matcher.Network));
    }

    /// <summary>Copies of every parameter and buffer by name.</summary>
    internal static Dictionary<string, Tensor> Snapshot(nn.Module network) =>
        network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    internal static void AssertIdentical(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.shape.SequenceEqual(actual[name].shape) && tensor.eq(actual[name]).all().item<bool>(), $"{name} changed");
    }
}
