using System.Runtime.InteropServices;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Cuts a sequence into clips of <c>clipLength</c> frames taken every <c>frameSpacing</c> frames, a new clip starting
/// every <c>clipSpacing</c> frames; with a seed the clip order is shuffled, the same way for the same seed.
/// </summary>
public sealed class ClipSampler
{
    private readonly int _clipLength, _frameSpacing, _clipSpacing;
    private readonly int? _shuffleSeed;

    public ClipSampler(int clipLength, int frameSpacing = 1, int clipSpacing = 1, int? shuffleSeed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clipLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSpacing, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clipSpacing, 1);
        (_clipLength, _frameSpacing, _clipSpacing, _shuffleSeed) = (clipLength, frameSpacing, clipSpacing, shuffleSeed);
    }

    /// <summary>Every clip that fits in the sequence (none if the sequence is shorter than one clip's span).</summary>
    public IReadOnlyList<Clip> Sample(Sequence sequence)
    {
        int span = (_clipLength - 1) * _frameSpacing;
        var clips = new List<Clip>();
        for (int start = 0; start + span < sequence.Count; start += _clipSpacing)
        {
            int[] indices = [.. Enumerable.Range(0, _clipLength).Select(k => start + k * _frameSpacing)];
            clips.Add(new Clip([.. indices.Select(i => sequence[i])], indices));
        }
        // System.Random with a seed is a fixed algorithm, so the order is reproducible across runs.
        if (_shuffleSeed is int seed) new Random(seed).Shuffle(CollectionsMarshal.AsSpan(clips));
        return clips;
    }
}
