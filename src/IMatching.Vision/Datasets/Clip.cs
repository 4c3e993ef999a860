namespace IMatching.Vision.Datasets;

/// <summary>A short run of frames trained on together; <see cref="Indices"/> are positions in the sampled sequence.</summary>
public sealed record Clip(IReadOnlyList<Frame> Frames, IReadOnlyList<int> Indices)
{
    public int Count => Frames.Count;
}
