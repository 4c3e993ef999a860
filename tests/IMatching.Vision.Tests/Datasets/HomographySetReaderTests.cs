using IMatching.Geometry;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class HomographySetReaderTests : IDisposable
{
    private readonly TempDataset _data = new("v_wall");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Oxford_layout_reads_every_H1toNp()
    {
        for (int n = 1; n <= 3; n++) _data.Image($"img{n}.ppm");
        _data.Text("H1to2p", "1 0 5", "0 1 -3", "0 0 1");
        _data.Text("H1to3p", "2 0 0 0 2 0 0 0 2");

        var set = HomographySetReader.Read(_data.Root);

        Assert.Equal(("v_wall", 2), (set.Name, set.Count));
        Assert.Equal(_data.PathOf("img1.ppm"), set.ReferenceImagePath);
        Assert.Equal([_data.PathOf("img2.ppm"), _data.PathOf("img3.ppm")], set.TargetImagePaths);
        Assert.Equal([1.0, 0, 5, 0, 1, -3, 0, 0, 1], set.Homographies[0]);
        Assert.Equal([1.0, 0, 0, 0, 1, 0, 0, 0, 1], set.Homographies[1]);
    }

    [Fact]
    public void A_gap_in_the_set_is_an_error_naming_the_missing_file()
    {
        // A damaged copy must not be scored on fewer pairs without a word.
        for (int n = 1; n <= 4; n++) _data.Image($"img{n}.ppm");
        _data.Text("H1to2p", "1 0 5", "0 1 -3", "0 0 1");
        _data.Text("H1to4p", "1 0 0 0 1 0 0 0 1");
        Assert.Contains("H1to3p: missing", Assert.ThrowsAny<UserInputException>(() => HomographySetReader.Read(_data.Root)).Message);

        _data.Text("H1to3p", "1 0 0 0 1 0 0 0 1");
        File.Delete(_data.PathOf("img3.ppm"));
        Assert.Contains("img3.png: missing", Assert.ThrowsAny<UserInputException>(() => HomographySetReader.Read(_data.Root)).Message);
    }

    [Theory]
    [InlineData("1 2 3 2 4 6 1 2 3")]
    [InlineData("1 0 0 0 1 0 0 0 1e-30")]
    public void A_singular_homography_is_refused(string matrix)
    {
        for (int n = 1; n <= 2; n++) _data.Image($"img{n}.ppm");
        _data.Text("H1to2p", matrix);
        Assert.Contains("singular", Assert.ThrowsAny<UserInputException>(() => HomographySetReader.Read(_data.Root)).Message);
    }

    [Fact]
    public void HPatches_layout_reads_H_1_N()
    {
        for (int n = 1; n <= 3; n++) _data.Image($"{n}.ppm");
        _data.Text("H_1_2", "1 0 1", "0 1 0", "0 0 1");
        _data.Text("H_1_3", "1 0 2", "0 1 0", "0 0 1");

        var set = new DataSpec("homography", _data.Root).OpenHomographySet();

        Assert.Equal(2, set.Count);
        Assert.Equal(2, set.Homographies[1][2]);
    }

    [Fact]
    public void Malformed_or_missing_homographies_are_refused()
    {
        Assert.Contains("neither img1", Assert.ThrowsAny<DatasetException>(() => HomographySetReader.Read(_data.Root)).Message);
        _data.Image("img1.png");
        _data.Image("img2.png");
        Assert.Contains("H1to2p", Assert.ThrowsAny<DatasetException>(() => HomographySetReader.Read(_data.Root)).Message);
        _data.Text("H1to2p", "1 0 0", "0 1 0", "0 0");
        Assert.Contains("holds 8 numbers", Assert.ThrowsAny<DatasetException>(() => HomographySetReader.Read(_data.Root)).Message);
        _data.Text("H1to2p", "1 0 0", "0 1 inf", "0 0 1");
        Assert.Equal(2, Assert.Throws<DatasetFormatException>(() => HomographySetReader.Read(_data.Root)).Line);
    }
}
