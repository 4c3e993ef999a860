namespace IMatching.Vision.Datasets;

/// <summary>An ordered list of frames from one reader (a spec's frame range already applied), in increasing time.</summary>
public sealed class Sequence
{
    /// <summary>
    /// Frames must be in increasing time, whatever file their timestamps came from: a repeated or out-of-order
    /// frame would otherwise surface after mapping as a trajectory whose timestamps do not increase.
    /// </summary>
    public Sequence(string name, IReadOnlyList<Frame> frames)
    {
        for (int i = 1; i < frames.Count; i++)
            if (!(frames[i].TimestampSeconds > frames[i - 1].TimestampSeconds))
                throw new DatasetException(frames[i].ImagePath, FormattableString.Invariant(
                    $"timestamp {frames[i].TimestampSeconds} does not come after {frames[i - 1].TimestampSeconds} of the frame before ({frames[i - 1].ImagePath}): frames must be listed once, in time order"));
        (Name, Frames) = (name, frames);
    }

    public string Name { get; }
    public IReadOnlyList<Frame> Frames { get; }
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
