using IMatching.Geometry;
using IMatching.Vision.Matching;

namespace IMatching.Learning.Models;

/// <summary>
/// Turns a <see cref="ModelSpec"/> into a matcher that every command (match, eval, map, train) can use.
/// Learned models register here as they are added; unknown names are refused with the list of known ones.
/// </summary>
public static class MatcherFactory
{
    private static readonly Dictionary<string, Func<ModelSpec, MatcherContext, IPairMatcher>> Builders = new(StringComparer.Ordinal)
    {
        ["sift"] = (spec, context) => Classical(spec, context),
        ["orb"] = (spec, context) => Classical(spec, context),
    };

    // Learned models register themselves here rather than in the table above, so each family keeps its names with its code.
    static MatcherFactory() => LearnedModels.Register(Register);

    public static IReadOnlyCollection<string> Names => Builders.Keys;

    public static IPairMatcher Create(string spec, MatcherContext? context = null) => Create(ModelSpec.Parse(spec), context ?? new MatcherContext());

    public static IPairMatcher Create(ModelSpec spec, MatcherContext context)
    {
        if (!Builders.TryGetValue(spec.Name, out var build))
            throw new UserInputException($"model '{spec.Name}'", $"unknown (known: {string.Join(", ", Builders.Keys.Order())})");
        if (spec.WeightsPath is { } path && !File.Exists(path) && !(spec.Name == LearnedModels.CheckpointName && Directory.Exists(path)))
            throw new UserInputException(path, $"weights file of model '{spec.Name}' not found");
        return build(spec, context);
    }

    /// <summary>Adds a model name; used by each learned model's registration.</summary>
    internal static void Register(string name, Func<ModelSpec, MatcherContext, IPairMatcher> build) => Builders[name] = build;

    private static IPairMatcher Classical(ModelSpec spec, MatcherContext context)
    {
        if (spec.WeightsPath is not null) throw new UserInputException($"model '{spec}'", $"{spec.Name} takes no weights");
        ClassicalMatchers.TryCreate(spec.Name, context.MaxFeatures, out var matcher);
        return matcher!;
    }
}
