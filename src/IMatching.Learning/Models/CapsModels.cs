using IMatching.Geometry;
using IMatching.Learning.Backbones.Caps;
using IMatching.Learning.Devices;
using IMatching.Learning.Matching;
using TorchSharp;

namespace IMatching.Learning.Models;

/// <summary><c>caps</c>, <c>caps-resnet34</c>, <c>caps-resnet18</c>: a CAPS checkpoint with its expectation head and SIFT queries.</summary>
public sealed class CapsModels : ModelFamily
{
    /// <summary>CAPS's own setting: raw correlation of its unnormalised features.</summary>
    public static readonly ExpectationHeadOptions Expectation = new(coarseTemperature: 1, fineTemperature: 1, windowSize: 8);

    private static readonly Dictionary<string, CapsEncoder> Encoders = new(StringComparer.Ordinal)
    {
        ["caps"] = CapsEncoder.ResNet50,
        ["caps-resnet34"] = CapsEncoder.ResNet34,
        ["caps-resnet18"] = CapsEncoder.ResNet18,
    };

    public override IEnumerable<ModelName> Names => Encoders.Keys.Select(family => new ModelName(family, MatchingHead.Own));

    public override IDifferentiableMatcher CreateDifferentiable(ModelName name, string? weights, MatcherContext context)
    {
        var encoder = Encoders[name.Family];
        IQuerySource queries = Queries(name, context, $"sift:{context.MaxFeatures}");
        if (queries.NeedsScoreMap) throw new UserInputException($"queries '{queries.Name}'", $"model '{name}' has no keypoint score map for them; use sift:N, orb:N, fast:N or grid:S");
        var device = DeviceSelector.Parse(context.Device);
        var caps = new CapsBackbone(WeightsOrRandom(name, weights, context) is { } path ? CapsNetwork.Load(path, encoder, device) : new CapsNetwork(encoder).to(device));
        return new ExpectationMatcher(name.ToString(), caps, queries, Head(Expectation, context));
    }
}
