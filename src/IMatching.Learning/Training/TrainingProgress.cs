namespace IMatching.Learning.Training;

/// <summary>Where a step's time went, in seconds; <see cref="Step"/> is the whole step, validation and checkpoint included.</summary>
public sealed record StepTimings(double Forward, double Targets, double Backward, double Optimizer, double Step);

/// <summary>One finished step as the progress display and the logs see it.</summary>
/// <param name="Loss">Mean loss of the samples the update used, or null when none was used or the update was refused.</param>
/// <param name="Measurements">The step strategy's metrics, combined over the samples used.</param>
/// <param name="UsedSamples">Samples whose gradient went into the update.</param>
/// <param name="LastSkip">The last reason a sample or the update was skipped in this step, with its detail.</param>
/// <param name="ValidationMetric">The held-out score when validation ran at this step.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, double? Loss, IReadOnlyList<Measurement> Measurements, int UsedSamples, int SkippedSamples,
    SkipReason? LastSkip, string? LastSkipDetail, double? ValidationMetric, StepTimings Timings)
{
    /// <summary>The step's value of <paramref name="metric"/>; null when no used sample reported it.</summary>
    public double? Value(TrainingMetric metric) => Measurements.Where(m => m.Metric == metric).Select(m => (double?)m.Value).FirstOrDefault();
}

/// <summary>How a run ended.</summary>
public sealed record TrainingSummary(int FirstStep, int LastStep, int Updates, IReadOnlyDictionary<SkipReason, int> Skipped, double? LastLoss, double? BestMetric,
    int? BestStep, double Seconds, string? LastCheckpoint);
