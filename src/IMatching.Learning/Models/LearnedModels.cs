using IMatching.Geometry;
using IMatching.Learning.Matching;
using IMatching.Vision.Matching;

namespace IMatching.Learning.Models;

/// <summary>
/// The registry of learned models: each family (<see cref="AlikeModels"/>, <see cref="CapsModels"/>,
/// <see cref="CheckpointModels"/>) names what it builds; a spec's name is parsed into family and head
/// (<see cref="ModelName"/>) and built by its family. Learned models need a weights file (<c>NAME:PATH</c>) unless
/// the library ships them (ALIKE-t and ALIKE-n) or the context allows a random start.
/// </summary>
public static class LearnedModels
{
    /// <summary>One line per network family.</summary>
    private static readonly ModelFamily[] Families = [new AlikeModels(), new CapsModels(), new CheckpointModels()];

    private static readonly Dictionary<ModelName, ModelFamily> ByName = Families
        .SelectMany(family => family.Names.Select(name => (name, family)))
        .ToDictionary(entry => entry.name, entry => entry.family);

    public const string CheckpointName = CheckpointModels.Name;

    public static ExpectationHeadOptions AlikeExpectation => AlikeModels.Expectation;

    public static ExpectationHeadOptions CapsExpectation => CapsModels.Expectation;

    /// <summary>Every name <see cref="CreateDifferentiable"/> accepts.</summary>
    public static IEnumerable<string> DifferentiableNames => ByName.Where(e => e.Value.IsDifferentiable(e.Key)).Select(e => e.Key.ToString());

    /// <summary>Adds every learned model to <see cref="MatcherFactory"/>.</summary>
    internal static void Register(Action<string, Func<ModelSpec, MatcherContext, IPairMatcher>> register)
    {
        foreach (var (name, family) in ByName)
            register(name.ToString(), (spec, context) => family.CreatePairMatcher(name, spec, context));
    }

    /// <summary>
    /// The model behind a differentiable spec, for training and for <see cref="DifferentiablePairMatcher"/>: every
    /// learned model is made here, in inference mode whatever it was built from (TorchSharp modules start in training
    /// mode and loading weights keeps it): evaluation must use the stored batch-norm statistics, and training
    /// switches the mode explicitly.
    /// </summary>
    /// <exception cref="UserInputException">The name is not differentiable, the weights are missing or the queries do not suit the backbone.</exception>
    public static IDifferentiableMatcher CreateDifferentiable(ModelSpec spec, MatcherContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(context);
        var name = ModelName.Parse(spec.Name);
        if (!ByName.TryGetValue(name, out var family) || !family.IsDifferentiable(name))
            throw new UserInputException($"model '{spec.Name}'", $"not differentiable (known: {string.Join(", ", DifferentiableNames)})");
        var matcher = family.CreateDifferentiable(name, spec.WeightsPath, context);
        matcher.Train(false);
        return matcher;
    }

    /// <summary>
    /// The architecture a checkpoint of this model records in its state.json (what <c>ckpt:PATH</c> rebuilds): the
    /// spec's name, or for <c>ckpt:PATH</c> the architecture that checkpoint records.
    /// </summary>
    public static string Architecture(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Name == CheckpointName ? CheckpointModels.Architecture(Weights(spec)) : spec.Name;
    }

    internal static string Weights(ModelSpec spec) =>
        spec.WeightsPath ?? throw new UserInputException($"model '{spec.Name}'", $"needs a weights file: {spec.Name}:PATH");
}
