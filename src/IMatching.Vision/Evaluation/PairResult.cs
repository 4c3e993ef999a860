using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>One model's matches on one pair, how long matching took (image loading and scoring excluded) and their scores.</summary>
public sealed record PairResult(EvaluationPair Pair, Correspondences Matches, double Seconds, PairMetrics Metrics);
