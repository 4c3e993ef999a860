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
}
