namespace IMatching.Learning.Training;

/// <summary>Where a step's time went, in seconds.</summary>
public sealed record StepTimings(double Forward, double Mapping, double Backward, double Optimizer);

/// <summary>One finished step as the progress display and the logs see it.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, double? Loss, int Observations, double InlierRatio, double BaCost, int SkippedClips, string? SkipReason, double? ValidationMetric, StepTimings Timings);

/// <summary>How a run ended.</summary>
public sealed record TrainingSummary(int FirstStep, int LastStep, int Updates, IReadOnlyDictionary<string, int> Skipped, double? LastLoss, double? BestMetric, int? BestStep, double Seconds, string? LastCheckpoint);
