using IMatching.Vision.Mapping;

namespace IMatching.Learning.Training;

/// <summary>Settings of imperative learning; the defaults are the method's (clips of 5, pairs k-2→k and k-1→k, Adam 1e-4).</summary>
public sealed record TrainerOptions
{
    /// <summary>Optimiser steps; 0 writes the starting model as the step-0 checkpoint (the 0-step control of a before/after).</summary>
    public int Steps { get; init; } = 200;
    public int ClipLength { get; init; } = 5;
    public int FrameSpacing { get; init; } = 1;
    public int ClipSpacing { get; init; } = 1;
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Clips whose gradients are summed before each optimiser step.</summary>
    public int AccumulationSteps { get; init; } = 1;
    /// <summary>Largest gradient norm an update may use; null leaves gradients unclipped.</summary>
    public double? GradientClipNorm { get; init; } = 1.0;
    /// <summary>Weight of the coarse-level term against the fine one.</summary>
    public double CoarseWeight { get; init; } = 1.0;
    /// <summary>
    /// Keep batch-norm layers in inference mode while training: a clip is a batch of a handful of frames, whose
    /// statistics would replace the running ones the pretrained network relies on. Their affine weights still learn.
    /// </summary>
    public bool FreezeBatchNorm { get; init; } = true;
    public int CheckpointEvery { get; init; } = 50;
    /// <summary>Validation runs this often when validation is given (and at the end).</summary>
    public int ValidateEvery { get; init; } = 50;
    /// <summary>Checkpoints kept besides the best one.</summary>
    public int KeepCheckpoints { get; init; } = 2;
    public int Seed { get; init; }
    public MapperOptions Mapper { get; init; } = new();

    internal void Validate()
    {
        if (Steps < 0) throw new ArgumentException("Steps must not be negative.");
        if (ClipLength < 2) throw new ArgumentException("A clip needs at least 2 frames.");
        if (AccumulationSteps < 1) throw new ArgumentException("AccumulationSteps must be at least 1.");
        if (!(LearningRate > 0)) throw new ArgumentException("The learning rate must be positive.");
        if (CheckpointEvery < 1 || ValidateEvery < 1) throw new ArgumentException("CheckpointEvery and ValidateEvery must be at least 1.");
    }

    /// <summary>Pairs of a clip: each frame k with frames k-2 and k-1 (queries in the earlier frame).</summary>
    public IReadOnlyList<(int A, int B)> ClipPairs()
    {
        var pairs = new List<(int, int)>();
        for (int k = 1; k < ClipLength; k++)
            for (int gap = Math.Min(2, k); gap >= 1; gap--) pairs.Add((k - gap, k));
        return pairs;
    }
}
