namespace IMatching.Vision.Datasets;

/// <summary>An ordered list of frames from one reader (a spec's frame range already applied).</summary>
public sealed class Sequence(string name, IReadOnlyList<Frame> frames)
{
    public string Name { get; } = name;
    public IReadOnlyList<Frame> Frames { get; } = frames;
    public int Count => Frames.Count;
    public Frame this[int i] => Frames[i];
    public bool HasGroundTruthPoses => Frames.Count > 0 && Frames.All(f => f.GroundTruthCameraFromWorld is not null);
    public bool HasDepth => Frames.Count > 0 && Frames.All(f => f.DepthPath is not null);

    /// <summary>Frames <paramref name="first"/> to <paramref name="last"/> inclusive, re-indexed from 0; each keeps its <see cref="Frame.SourceIndex"/>.</summary>
    public Sequence Slice(int first, int last)
    {
        if (first < 0 || last < first || last >= Count)
            throw new DatasetException(Name, $"frame range {first}-{last} is outside the sequence (frames 0-{Count - 1})");
        var frames = new Frame[last - first + 1];
        for (int i = 0; i < frames.Length; i++) frames[i] = Frames[first + i] with { Index = i };
        return new Sequence($"{Name}#{first}-{last}", frames);
    }
}
