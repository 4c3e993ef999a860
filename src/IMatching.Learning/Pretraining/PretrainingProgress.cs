namespace IMatching.Learning.Pretraining;

/// <summary>One finished pretraining step as the progress display and the logs see it.</summary>
/// <param name="Loss">The step's loss, or null when the step was skipped.</param>
/// <param name="Targets">Queries with ground truth in the step's pairs.</param>
/// <param name="WithinThreePx">Fraction of those the fine level put within 3 px (before the update): a training-set MMA@3px.</param>
/// <param name="ValidationMetric">Held-out MMA@3px when validation ran at this step.</param>
/// <param name="StepSeconds">Wall time of the step, validation and checkpointing included.</param>
public sealed record PretrainingProgress(int Step, int TotalSteps, double? Loss, int Targets, double? WithinThreePx, string? SkipReason, double? ValidationMetric, double StepSeconds);
