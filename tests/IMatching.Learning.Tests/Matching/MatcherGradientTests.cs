using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Backbones.Caps;
using IMatching.Learning.Matching;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// The bilevel trainer's loss acts on the fine predictions: its gradient must reach every weight that shapes them
/// and be exactly zero for every weight that cannot.
/// </summary>
public class MatcherGradientTests
{
    // ALIKE's last 1x1 convolution emits D descriptor channels and then the score channel; the heads read
    // descriptors only and queries are fixed inputs, so the score row of that weight cannot affect a prediction.
    private const string AlikeHead = "convhead2.weight";

    [Fact]
    public void Expectation_head_on_alike_trains_every_descriptor_weight_and_no_score_weight()
    {
        using var scope = NewDisposeScope();
        using var matcher = new ExpectationMatcher("alike-t+exp", new AlikeBackbone(Alike()), new AlikeQuerySource(64), global::IMatching.Learning.Models.LearnedModels.AlikeExpectation);
        var backbone = (AlikeBackbone)matcher.Backbone;

        LossOnFine(matcher);

        int dim = backbone.Network.Config.Dim;
        foreach (var (name, parameter) in backbone.Network.named_parameters())
        {
            Tensor grad = Grad(name, parameter);
            if (name == AlikeHead)
            {
                Assert.True(grad.narrow(0, 0, dim).abs().sum().item<float>() > 0, "descriptor rows of the head have no gradient");
                Assert.Equal(0f, grad.narrow(0, dim, 1).abs().max().item<float>());
            }
            else
            {
                Assert.True(grad.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
            }
        }
    }

    [Fact]
    public void Regression_head_trains_itself_and_the_backbone_but_not_its_inlier_output_or_the_score_weights()
    {
        using var scope = NewDisposeScope();
        var head = new RegressionHead(new RegressionNetwork((int)AlikeConfig.For(AlikeVariant.Tiny).Dim, 9));
        using var matcher = new RegressionMatcher("alike-t+reg", new AlikeBackbone(Alike()), new AlikeQuerySource(128), head);

        Assert.True(LossOnFine(matcher) > 0, "no coarse match survived the mutual check");

        var network = ((AlikeBackbone)matcher.Backbone).Network;
        foreach (var (name, parameter) in network.named_parameters().Where(p => p.name != AlikeHead))
            Assert.True(Grad(name, parameter).abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        Assert.Equal(0f, Grad(AlikeHead, network.get_parameter(AlikeHead)!).narrow(0, network.Config.Dim, 1).abs().max().item<float>());

        // The last layer's third output is the inlier logit: it feeds the confidence, never the fine point.
        var named = head.Network.named_parameters().ToList();
        string last = named[^1].name[..named[^1].name.LastIndexOf('.')];
        foreach (var (name, parameter) in named)
        {
            Tensor grad = Grad(name, parameter);
            if (name.StartsWith(last + ".", StringComparison.Ordinal))
            {
                Assert.True(grad.narrow(0, 0, 2).abs().sum().item<float>() > 0, $"{name}: offset rows have no gradient");
                Assert.Equal(0f, grad.narrow(0, 2, 1).abs().max().item<float>());
            }
            else
            {
                Assert.True(grad.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
            }
        }
    }

    [Fact]
    [Trait("Category", "Long")]
    public void Caps_fine_loss_reaches_both_heads_through_the_undetached_window_centre()
    {
        using var scope = NewDisposeScope();
        var caps = new CapsBackbone(CapsNetwork.Load(MatchingFixtures.CapsRandomWeights, CapsEncoder.ResNet18));
        using var matcher = new ExpectationMatcher("caps", caps, QuerySources.Parse("grid:40"), global::IMatching.Learning.Models.LearnedModels.CapsExpectation);

        LossOnFine(matcher);

        var grads = caps.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["net.conv_fine.conv.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["net.conv_coarse.conv.weight"]!.abs().sum().item<float>() > 0);
        Assert.True(grads["net.firstconv.weight"]!.abs().sum().item<float>() > 0);
    }

    private static AlikeNetwork Alike() => AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny);

    /// <summary>
    /// Predicts the fixture against a shifted copy and back-propagates the sum of the fine points; returns their count.
    /// </summary>
    private static int LossOnFine(IDifferentiableMatcher matcher)
    {
        using var scope = NewDisposeScope();
        Tensor a = ImageTensor.Load(MatchingFixtures.TumImage);
        Tensor b = roll(a, [2, -3], [3, 2]);
        PairPredictions predictions = matcher.Predict([a, b], [(0, 1)])[0];
        Assert.True(predictions.Fine.requires_grad);
        if (predictions.Count > 0) predictions.Fine.sum().backward();
        return predictions.Count;
    }

    private static Tensor Grad(string name, Parameter parameter)
    {
        Assert.True(parameter.grad is not null, $"{name} has no gradient");
        return parameter.grad!;
    }
}
