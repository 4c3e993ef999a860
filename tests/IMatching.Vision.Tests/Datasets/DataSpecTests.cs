using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class DataSpecTests
{
    [Theory]
    [InlineData("tum:a/b", "tum", "a/b", null, null)]
    [InlineData("KITTI:/x/07#3-9", "kitti", "/x/07", 3, 9)]
    [InlineData("folder:shots#2#0-0", "folder", "shots#2", 0, 0)]
    [InlineData("video:my#clip.avi", "video", "my#clip.avi", null, null)]
    [InlineData("homography:../graf", "homography", "../graf", null, null)]
    public void Parses_kind_path_and_range(string text, string kind, string path, int? first, int? last)
    {
        Assert.Equal(new DataSpec(kind, path, first, last), DataSpec.Parse(text));
    }

    [Theory]
    [InlineData("colmap:x", "unknown kind 'colmap'; valid kinds: tum, kitti, euroc, tartanair, eth3d, folder, video, synthetic, homography")]
    [InlineData("just/a/path", "expected KIND:PATH")]
    [InlineData("tum:", "no path")]
    [InlineData("tum:x#5", "is not FIRST-LAST")]
    [InlineData("tum:x#9-3", "ends before it starts")]
    [InlineData("homography:x#1-2", "takes no frame range")]
    public void Refuses_malformed_specs(string text, string problem)
    {
        Assert.Contains(problem, Assert.ThrowsAny<DatasetException>(() => DataSpec.Parse(text)).Message);
    }

    [Fact]
    public void Range_selects_inclusive_frames_reindexed_and_refuses_ranges_past_the_end()
    {
        using var data = new TempDataset("fr1_room");
        for (int i = 0; i < 5; i++) data.Image($"rgb/{i}.png");
        data.Text("rgb.txt", [.. Enumerable.Range(0, 5).Select(i => $"{i}.0 rgb/{i}.png")]);

        var sequence = DataSpec.Parse($"tum:{data.Root}#1-3").OpenSequence();

        Assert.Equal([0, 1, 2], sequence.Frames.Select(f => f.Index));
        Assert.Equal([1, 2, 3], sequence.Frames.Select(f => f.SourceIndex));
        Assert.Equal([1.0, 2.0, 3.0], sequence.Frames.Select(f => f.TimestampSeconds));
        Assert.Equal("fr1_room#1-3", sequence.Name);
        var error = Assert.ThrowsAny<DatasetException>(() => DataSpec.Parse($"tum:{data.Root}#2-5").OpenSequence());
        Assert.Contains("frame range 2-5 is outside the sequence (frames 0-4)", error.Message);
    }

    [Fact]
    public void Sequences_and_homography_sets_do_not_open_as_each_other()
    {
        Assert.Contains("not a sequence", Assert.ThrowsAny<DatasetException>(() => DataSpec.Parse("homography:x").OpenSequence()).Message);
        Assert.Contains("not a homography set", Assert.ThrowsAny<DatasetException>(() => DataSpec.Parse("tum:x").OpenHomographySet()).Message);
    }
}
