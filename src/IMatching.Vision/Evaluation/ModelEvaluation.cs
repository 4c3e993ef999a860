namespace IMatching.Vision.Evaluation;

/// <summary>One model's results on every pair, under the name the user gave the model, with their aggregate.</summary>
public sealed record ModelEvaluation(string Model, IReadOnlyList<PairResult> Pairs)
{
    public EvaluationSummary Summary { get; } = EvaluationSummary.Aggregate(Pairs);
}
