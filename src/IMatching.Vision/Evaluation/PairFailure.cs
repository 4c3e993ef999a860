namespace IMatching.Vision.Evaluation;

/// <summary>A pair a matcher could not be scored on, with the error that stopped it.</summary>
public sealed record PairFailure(EvaluationPair Pair, Exception Error);
