using IMatching.Geometry;
using IMatching.Learning.Matching;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;

namespace IMatching.Learning.Validation;

/// <summary>
/// The score the trainer keeps its best checkpoint by: on held-out pairs, MMA@2px where the data has depth
/// (or homographies), else pose AUC@10, else epipolar precision at 2 px. Higher is better.
/// </summary>
public sealed class MatcherValidation(IReadOnlyList<EvaluationPair> pairs)
{
    public static MatcherValidation FromSpec(string spec, IReadOnlyList<int> gaps) => new(EvaluationPairs.FromSpec(DataSpec.Parse(spec), gaps));

    public int Pairs => pairs.Count;

    public string MetricName { get; private set; } = "none";

    /// <summary>Scores without disposing <paramref name="matcher"/>: the adapter is only a view of it.</summary>
    public double Score(IDifferentiableMatcher matcher)
    {
        // A view of the matcher: disposing it frees only the features it kept, not the network being trained.
        using var adapter = new DifferentiablePairMatcher(matcher, ownsMatcher: false);
        var summary = EvaluationSummary.Aggregate(MatcherEvaluation.Run(adapter, pairs));
        (MetricName, double? value) = summary switch
        {
            { Mma: { } mma } => ("mma@2px", mma[1]),
            { Auc: { } auc } => ("auc@10", auc[1]),
            { Epipolar: { } epipolar } => ("epipolar@2px", epipolar[1]),
            _ => ("none", (double?)null),
        };
        return value ?? throw new UserInputException("--val", "the validation data has no geometry to score matches against (no depth, homography or poses)");
    }
}
