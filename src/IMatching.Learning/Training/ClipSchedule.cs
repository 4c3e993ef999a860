using IMatching.Geometry;
using IMatching.Vision.Datasets;

namespace IMatching.Learning.Training;

/// <summary>
/// Which clip each sample trains on: every epoch visits all clips in an order shuffled by (seed, epoch).
/// A pure function of the draw, so a resumed run sees exactly the clips the uninterrupted one would have.
/// </summary>
public sealed class ClipSchedule
{
    private readonly IReadOnlyList<Clip> _clips;

    public ClipSchedule(Sequence sequence, TrainerOptions options)
    {
        _clips = new ClipSampler(options.ClipLength, options.FrameSpacing, options.ClipSpacing).Sample(sequence);
        if (_clips.Count == 0)
            throw new UserInputException(sequence.Name, $"{sequence.Count} frames hold no clip of {options.ClipLength} frames at spacing {options.FrameSpacing}");
    }

    public int Count => _clips.Count;

    /// <summary>The clip for draw <paramref name="draw"/> (0-based over the whole run: step x accumulation + slot).</summary>
    public Clip At(long draw, int seed)
    {
        int epoch = (int)(draw / _clips.Count);
        var order = Enumerable.Range(0, _clips.Count).ToArray();
        // HashCode.Combine is salted per process; resuming needs the same order in a new process.
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order);
        return _clips[order[draw % _clips.Count]];
    }
}
