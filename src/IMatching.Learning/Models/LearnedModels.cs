using IMatching.Geometry;
using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Backbones.Caps;
using IMatching.Learning.Devices;
using IMatching.Learning.Matching;
using IMatching.Vision.Matching;
using TorchSharp;

namespace IMatching.Learning.Models;

/// <summary>
/// The learned models a spec can name: <c>alike-{t,s,n,l}</c> (ALIKE keypoints, mutual nearest neighbours),
/// <c>alike-{t,s,n,l}+exp</c> (expectation head), <c>alike-{t,s,n,l}+reg</c> (regression head) and
/// <c>caps</c>, <c>caps-resnet34</c>, <c>caps-resnet18</c> (CAPS checkpoint, expectation head, SIFT queries).
/// All need a weights file (<c>NAME:PATH</c>).
/// </summary>
public static class LearnedModels
{
    public const string ExpectationSuffix = "+exp";
    public const string RegressionSuffix = "+reg";

    /// <summary>ALIKE's unit descriptors correlate in [-1, 1]; these make the softmax peaked (see <see cref="ExpectationHeadOptions"/>).</summary>
    public static readonly ExpectationHeadOptions AlikeExpectation = new(coarseTemperature: 0.01, fineTemperature: 0.01, windowSize: 16);

    /// <summary>CAPS's own setting: raw correlation of its unnormalised features.</summary>
    public static readonly ExpectationHeadOptions CapsExpectation = new(coarseTemperature: 1, fineTemperature: 1, windowSize: 8);

    public const int RegressionPatchSize = 9;

    private static readonly Dictionary<string, AlikeVariant> AlikeNames = new(StringComparer.Ordinal)
    {
        ["alike-t"] = AlikeVariant.Tiny,
        ["alike-s"] = AlikeVariant.Small,
        ["alike-n"] = AlikeVariant.Normal,
        ["alike-l"] = AlikeVariant.Large,
    };

    private static readonly Dictionary<string, CapsEncoder> CapsNames = new(StringComparer.Ordinal)
    {
        ["caps"] = CapsEncoder.ResNet50,
        ["caps-resnet34"] = CapsEncoder.ResNet34,
        ["caps-resnet18"] = CapsEncoder.ResNet18,
    };

    public const string CheckpointName = "ckpt";

    /// <summary>Every name <see cref="CreateDifferentiable"/> accepts.</summary>
    public static IEnumerable<string> DifferentiableNames =>
        AlikeNames.Keys.SelectMany(n => new[] { n + ExpectationSuffix, n + RegressionSuffix }).Concat(CapsNames.Keys).Append(CheckpointName);

    /// <summary>Adds every learned model to <see cref="MatcherFactory"/>.</summary>
    internal static void Register(Action<string, Func<ModelSpec, MatcherContext, IPairMatcher>> register)
    {
        foreach (var (name, variant) in AlikeNames)
            register(name, (spec, context) => new AlikeMutualNearestNeighbourMatcher(
                AlikeNetwork.Load(Weights(spec), variant, DeviceSelector.Parse(context.Device)), context.MaxFeatures));
        foreach (string name in DifferentiableNames)
            register(name, (spec, context) => new DifferentiablePairMatcher(CreateDifferentiable(spec, context)));
    }

    /// <summary>The model behind a differentiable spec, for training and for <see cref="DifferentiablePairMatcher"/>.</summary>
    /// <exception cref="FormatException">The name is not differentiable, the weights are missing or the queries do not suit the backbone.</exception>
    public static IDifferentiableMatcher CreateDifferentiable(ModelSpec spec, MatcherContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        if (spec.Name == CheckpointName) return FromCheckpoint(spec, context);
        string? weights = spec.WeightsPath ?? (context.RandomInitialization ? null : Weights(spec));
        var device = DeviceSelector.Parse(context.Device);
        if (CapsNames.TryGetValue(spec.Name, out var encoder))
        {
            IQuerySource capsQueries = Queries(spec, context, $"sift:{context.MaxFeatures}");
            if (capsQueries.NeedsScoreMap) throw new UserInputException($"queries '{capsQueries.Name}'", $"model '{spec.Name}' has no keypoint score map for them; use sift:N, orb:N, fast:N or grid:S");
            var caps = new CapsBackbone(weights is null ? new CapsNetwork(encoder).to(device) : CapsNetwork.Load(weights, encoder, device));
            return new ExpectationMatcher(spec.Name, caps, capsQueries, CapsExpectation);
        }

        bool expectation = spec.Name.EndsWith(ExpectationSuffix, StringComparison.Ordinal);
        bool regression = spec.Name.EndsWith(RegressionSuffix, StringComparison.Ordinal);
        if (!(expectation || regression) || !AlikeNames.TryGetValue(spec.Name[..^ExpectationSuffix.Length], out var variant))
            throw new UserInputException($"model '{spec.Name}'", $"not differentiable (known: {string.Join(", ", DifferentiableNames)})");

        IQuerySource queries = Queries(spec, context, $"alike:{context.MaxFeatures}");
        var alike = new AlikeBackbone(weights is null ? new AlikeNetwork(variant).to(device) : AlikeNetwork.Load(weights, variant, device));
        if (expectation)
            return new ExpectationMatcher(spec.Name, alike, queries, AlikeExpectation);

        int dim = alike.Network.Config.Dim;
        RegressionNetwork network = context.HeadWeights is { } head
            ? RegressionNetwork.Load(head, dim, RegressionPatchSize)
            : new RegressionNetwork(dim, RegressionPatchSize);
        return new RegressionMatcher(spec.Name, alike, queries, new RegressionHead(network.to(alike.Device)));
    }

    /// <summary>
    /// <c>ckpt:PATH</c>, PATH a training run (its best checkpoint, else its latest) or one checkpoint folder: the
    /// architecture named in its state.json, with its model.pth loaded.
    /// </summary>
    private static IDifferentiableMatcher FromCheckpoint(ModelSpec spec, MatcherContext context)
    {
        string folder = Training.CheckpointFolders.Resolve(Weights(spec));
        var trained = ModelSpec.Parse(Training.TrainingCheckpoint.ReadState(folder).Model);
        var matcher = CreateDifferentiable(trained with { WeightsPath = null }, context with { RandomInitialization = true });
        Training.TrainingCheckpoint.LoadWeights(folder, matcher.Network);
        return matcher;
    }

    /// <summary>
    /// The architecture a checkpoint of this model records in its state.json (what <c>ckpt:PATH</c> rebuilds): the
    /// spec's name, or for <c>ckpt:PATH</c> the architecture that checkpoint records.
    /// </summary>
    public static string Architecture(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Name == CheckpointName ? Training.TrainingCheckpoint.ReadState(Training.CheckpointFolders.Resolve(Weights(spec))).Model : spec.Name;
    }

    private static string Weights(ModelSpec spec) =>
        spec.WeightsPath ?? throw new UserInputException($"model '{spec.Name}'", $"needs a weights file: {spec.Name}:PATH");

    private static IQuerySource Queries(ModelSpec spec, MatcherContext context, string fallback)
    {
        if (context.MaxFeatures <= 0) throw new UserInputException($"model '{spec.Name}'", $"the query count {context.MaxFeatures} is not positive");
        return QuerySources.Parse(context.Queries ?? fallback);
    }
}
