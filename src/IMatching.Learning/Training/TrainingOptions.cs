namespace IMatching.Learning.Training;

/// <summary>
/// How the one training loop optimises, whatever a step computes: Adam, gradient accumulation and clipping,
/// checkpoints, validation, the seed. The defaults are imperative learning's; <see cref="Pretraining"/> holds
/// homography pretraining's.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// Optimiser steps in all; a resumed run continues up to this. 0 writes the starting model as the step-0
    /// checkpoint: the 0-step control of a before/after.
    /// </summary>
    public int Steps { get; init; } = 200;
    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Samples (clips, batches of pairs) whose gradients are averaged before each optimiser step.</summary>
    public int AccumulationSteps { get; init; } = 1;
    /// <summary>Largest gradient norm an update may use; null leaves gradients unclipped.</summary>
    public double? GradientClipNorm { get; init; } = 1.0;
    public int CheckpointEvery { get; init; } = 50;
    /// <summary>Validation runs this often when validation is given (and at the end).</summary>
    public int ValidateEvery { get; init; } = 50;
    /// <summary>Checkpoints kept besides the best one.</summary>
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>Seeds the data order (and everything a step draws); a resumed run must use the same.</summary>
    public int Seed { get; init; }
    /// <summary>The run stops with an error when this many samples in a row fail with an exception (e.g. inside mapping).</summary>
    public int MaxConsecutiveFaults { get; init; } = 5;

    /// <summary>Homography pretraining from scratch: longer, with a larger step size.</summary>
    public static TrainingOptions Pretraining { get; } = new() { Steps = 1000, LearningRate = 1e-3, CheckpointEvery = 100, ValidateEvery = 100 };

    internal void Validate()
    {
        if (Steps < 0) throw new ArgumentException($"Steps must not be negative, not {Steps}.");
        if (AccumulationSteps < 1) throw new ArgumentException($"AccumulationSteps must be at least 1, not {AccumulationSteps}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"The learning rate must be positive, not {LearningRate}.");
        if (GradientClipNorm is { } clip && !(clip > 0)) throw new ArgumentException($"The gradient clip norm must be positive, not {clip}.");
        if (CheckpointEvery < 1 || ValidateEvery < 1) throw new ArgumentException("CheckpointEvery and ValidateEvery must be at least 1.");
        if (KeepCheckpoints < 1) throw new ArgumentException($"KeepCheckpoints must be at least 1, not {KeepCheckpoints}.");
        if (MaxConsecutiveFaults < 1) throw new ArgumentException($"MaxConsecutiveFaults must be at least 1, not {MaxConsecutiveFaults}.");
    }
}
