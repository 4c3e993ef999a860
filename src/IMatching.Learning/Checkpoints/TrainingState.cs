namespace IMatching.Learning.Checkpoints;

/// <summary>
/// What a checkpoint records besides the weights: where training stands and what it has seen. <c>Model</c> is the
/// architecture (what <c>ckpt:</c> rebuilds); <c>Skipped</c> counts skipped samples by their on-disk reason name.
/// </summary>
public sealed record TrainingState(int Step, int Seed, string Model, Dictionary<string, int> Skipped, double? BestMetric, int? BestStep, double ElapsedSeconds);
