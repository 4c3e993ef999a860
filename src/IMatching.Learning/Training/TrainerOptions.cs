using IMatching.Learning.Objectives;
using IMatching.Vision.Mapping;

namespace IMatching.Learning.Training;

/// <summary>
/// What imperative learning computes per clip; the defaults are the method's (clips of 5, pairs k-2→k and k-1→k).
/// How it optimises is <see cref="TrainingOptions"/>.
/// </summary>
public sealed record TrainerOptions
{
    public int ClipLength { get; init; } = 5;
    public int FrameSpacing { get; init; } = 1;
    public int ClipSpacing { get; init; } = 1;
    /// <summary>Weight of the coarse-level term against the fine one.</summary>
    public double CoarseWeight { get; init; } = 1.0;
    /// <summary>What the upper level minimises once a clip is mapped.</summary>
    public ImperativeObjectiveKind Objective { get; init; } = ImperativeObjectiveKind.BaCost;
    /// <summary>
    /// Keep batch-norm layers in inference mode while training: a clip is a batch of a handful of frames, whose
    /// statistics would replace the running ones the pretrained network relies on. Their affine weights still learn.
    /// </summary>
    public bool FreezeBatchNorm { get; init; } = true;
    /// <summary>How each clip is mapped; its thread count is replaced by libtorch's (the step's <c>--threads</c>).</summary>
    public MapperOptions Mapper { get; init; } = new();

    internal void Validate()
    {
        if (ClipLength < 2) throw new ArgumentException($"A clip needs at least 2 frames, not {ClipLength}.");
        if (FrameSpacing < 1 || ClipSpacing < 1) throw new ArgumentException($"Frame spacing ({FrameSpacing}) and clip spacing ({ClipSpacing}) must be at least 1.");
        if (!(CoarseWeight >= 0)) throw new ArgumentException($"The coarse weight must not be negative, not {CoarseWeight}.");
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
