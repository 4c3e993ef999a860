using IMatching.Geometry;
using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Devices;
using IMatching.Learning.Matching;
using TorchSharp;
using IMatching.Vision.Matching;

namespace IMatching.Learning.Models;

/// <summary>
/// <c>alike-{t,s,n,l}</c> (ALIKE keypoints, mutual nearest neighbours), <c>alike-{t,s,n,l}+exp</c> (expectation head)
/// and <c>alike-{t,s,n,l}+reg</c> (regression head).
/// </summary>
public sealed class AlikeModels : ModelFamily
{
    /// <summary>
    /// ALIKE's unit descriptors correlate in [-1, 1]; these make the softmax peaked (see <see cref="ExpectationHeadOptions"/>).
    /// The fine window sits on the nearest coarse cell (the published method's setting): in the held-out ablation
    /// (README, *The demo* and *Real video*) it gave the better adapted model on the demo, TUM and KITTI alike.
    /// </summary>
    public static readonly ExpectationHeadOptions Expectation = new(coarseTemperature: 0.01, fineTemperature: 0.01, windowSize: 16, windowCentre: WindowCentre.Nearest);

    public const int RegressionPatchSize = 9;

    private static readonly Dictionary<string, AlikeVariant> Variants = new(StringComparer.Ordinal)
    {
        ["alike-t"] = AlikeVariant.Tiny,
        ["alike-s"] = AlikeVariant.Small,
        ["alike-n"] = AlikeVariant.Normal,
        ["alike-l"] = AlikeVariant.Large,
    };

    public override IEnumerable<ModelName> Names =>
        Variants.Keys.SelectMany(family => Enum.GetValues<MatchingHead>().Select(head => new ModelName(family, head)));

    public override bool IsDifferentiable(ModelName name) => name.Head != MatchingHead.Own;

    public override IPairMatcher CreatePairMatcher(ModelName name, ModelSpec spec, MatcherContext context) => name.Head == MatchingHead.Own
        ? new AlikeMutualNearestNeighbourMatcher(Network(name, spec.WeightsPath, context with { RandomInitialization = false }), context.MaxFeatures)
        : base.CreatePairMatcher(name, spec, context);

    public override IDifferentiableMatcher CreateDifferentiable(ModelName name, string? weights, MatcherContext context)
    {
        var variant = Variants[name.Family];
        var frozen = OfficialAlikeWeights.IsShipped(variant) ? variant : AlikeVariant.Normal;
        IQuerySource queries = Queries(name, context, $"alike:{context.MaxFeatures}", frozen);
        var alike = new AlikeBackbone(Network(name, weights, context));
        if (name.Head == MatchingHead.Expectation) return new ExpectationMatcher(name.ToString(), alike, queries, Head(Expectation, context));

        int dim = alike.Network.Config.Dim;
        RegressionNetwork network = context.HeadWeights is { } head
            ? RegressionNetwork.Load(head, dim, RegressionPatchSize)
            : new RegressionNetwork(dim, RegressionPatchSize);
        return new RegressionMatcher(name.ToString(), alike, queries, new RegressionHead(network.to(alike.Device)));
    }

    /// <summary>The weights file; else the official weights this library ships (alike-t, alike-n); else a random start where allowed.</summary>
    private static AlikeNetwork Network(ModelName name, string? weights, MatcherContext context)
    {
        var variant = Variants[name.Family];
        var device = DeviceSelector.Parse(context.Device);
        if (weights is not null) return AlikeNetwork.Load(weights, variant, device);
        if (context.RandomInitialization) return new AlikeNetwork(variant).to(device);
        if (OfficialAlikeWeights.IsShipped(variant)) return AlikeNetwork.LoadOfficial(variant, device);
        throw new UserInputException($"model '{name}'", $"needs a weights file: {name}:PATH (only {string.Join(", ", OfficialAlikeWeights.Shipped.Select(v => Variants.First(e => e.Value == v).Key))} are shipped)");
    }
}
