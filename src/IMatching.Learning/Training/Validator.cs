using IMatching.Learning.Matching;

namespace IMatching.Learning.Training;

/// <summary>A held-out score the loop keeps its best checkpoint by (higher is better), logged as <c>validation/METRIC</c>.</summary>
public sealed record Validator(string Metric, Func<IDifferentiableMatcher, double> Score);
