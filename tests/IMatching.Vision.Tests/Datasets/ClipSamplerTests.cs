using IMatching.Geometry.Cameras;
using IMatching.Vision.Datasets;

namespace IMatching.Vision.Tests.Datasets;

public sealed class ClipSamplerTests
{
    private static readonly Sequence Ten = new("ten", [.. Enumerable.Range(0, 10).Select(i => new Frame(i, i * 0.1, $"{i}.png", new PinholeCamera(4, 3, 1, 1, 1.5, 1)))]);

    [Fact]
    public void Clips_take_every_frameSpacing_frame_and_start_every_clipSpacing_frames()
    {
        var clips = new ClipSampler(clipLength: 3, frameSpacing: 2, clipSpacing: 3).Sample(Ten);

        Assert.Equal([[0, 2, 4], [3, 5, 7]], clips.Select(c => c.Indices.ToArray()));
        Assert.Equal(["3.png", "5.png", "7.png"], clips[1].Frames.Select(f => f.ImagePath));
    }

    [Fact]
    public void A_clip_needs_its_whole_span_inside_the_sequence()
    {
        Assert.Equal([[0, 3, 6, 9]], new ClipSampler(clipLength: 4, frameSpacing: 3).Sample(Ten).Select(c => c.Indices.ToArray()));
        Assert.Empty(new ClipSampler(clipLength: 4, frameSpacing: 4).Sample(Ten));
    }

    [Fact]
    public void Shuffling_is_a_permutation_fixed_by_the_seed()
    {
        static int[] Starts(int? seed) => [.. new ClipSampler(2, shuffleSeed: seed).Sample(Ten).Select(c => c.Indices[0])];

        Assert.Equal(Starts(7), Starts(7));
        Assert.NotEqual(Starts(7), Starts(8));
        Assert.Equal(Starts(null), Starts(7).Order());
        Assert.Equal(Enumerable.Range(0, 9), Starts(null));
    }

    [Fact]
    public void Lengths_and_spacings_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipSampler(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipSampler(2, frameSpacing: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipSampler(2, clipSpacing: -1));
    }
}
