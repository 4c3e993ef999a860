using IMatching.Geometry;
using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Vision.Matching;

namespace IMatching.Learning.Models;

/// <summary>
/// One network family of the registry (<see cref="LearnedModels"/>): the names it answers to and how it builds them.
/// A new family is one subclass and one line in the registry.
/// </summary>
public abstract class ModelFamily
{
    /// <summary>Every name (family and head) this family builds.</summary>
    public abstract IEnumerable<ModelName> Names { get; }

    /// <summary>Whether <paramref name="name"/> predicts with gradients (and so can be trained).</summary>
    public virtual bool IsDifferentiable(ModelName name) => true;

    /// <summary>
    /// The differentiable model from a weights file; with none, from the weights the library ships, else from random
    /// weights when <see cref="MatcherContext.RandomInitialization"/> allows it (the caller seeds them), else refused.
    /// </summary>
    public abstract IDifferentiableMatcher CreateDifferentiable(ModelName name, string? weights, MatcherContext context);

    /// <summary>A matcher for every command; families with a non-differentiable matcher override this.</summary>
    public virtual IPairMatcher CreatePairMatcher(ModelName name, ModelSpec spec, MatcherContext context) =>
        new DifferentiablePairMatcher(LearnedModels.CreateDifferentiable(spec, context));

    /// <summary>Query points of a learned head: the context's choice, else the family's own with the context's count.</summary>
    /// <param name="frozenVariant">The official ALIKE that <c>alike-frozen:N</c> detects with.</param>
    protected static IQuerySource Queries(ModelName name, MatcherContext context, string fallback, AlikeVariant frozenVariant = AlikeVariant.Normal)
    {
        if (context.MaxFeatures <= 0) throw new UserInputException($"model '{name}'", $"the query count {context.MaxFeatures} is not positive");
        return QuerySources.Parse(context.Queries ?? fallback, frozenVariant);
    }

    /// <summary>The family's head settings with the context's window centre, when it names one.</summary>
    protected static ExpectationHeadOptions Head(ExpectationHeadOptions family, MatcherContext context) =>
        context.WindowCentre is { } centre ? family.WithWindowCentre(centre) : family;

    /// <summary>Refuses a spec with no weights file where nothing is shipped and no random start is allowed.</summary>
    protected static string? WeightsOrRandom(ModelName name, string? weights, MatcherContext context) =>
        weights ?? (context.RandomInitialization ? null : throw new UserInputException($"model '{name}'", $"needs a weights file: {name}:PATH"));
}
