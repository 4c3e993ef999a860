using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class ImageFolderReaderTests : IDisposable
{
    private readonly TempDataset _data = new("walk");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Images_sort_by_name_with_intrinsics_txt_and_index_timestamps()
    {
        _data.Image("b.jpg", 16, 9);
        _data.Image("a.png", 16, 9);
        _data.Text("notes.md", "not an image");
        _data.Text("intrinsics.txt", "# fx fy cx cy k1 k2", "20 21 7.5 4 0.01 -0.02");

        var sequence = ImageFolderReader.Read(_data.Root);

        Assert.Equal(["a.png", "b.jpg"], sequence.Frames.Select(f => Path.GetFileName(f.ImagePath)));
        Assert.Equal([0.0, 1.0], sequence.Frames.Select(f => f.TimestampSeconds));
        Assert.Equal([20, 21, 7.5, 4, 0.01, -0.02, 0, 0, 0], sequence[1].Camera.ToParameters());
        Assert.Equal((16, 9), (sequence[0].Camera.Width, sequence[0].Camera.Height));
        Assert.False(sequence.HasGroundTruthPoses);
    }

    [Fact]
    public void Camera_txt_is_accepted_too()
    {
        _data.Image("a.png");
        _data.Text("camera.txt", "pinhole 20 21 7.5 4");
        Assert.Equal(20, ImageFolderReader.Read(_data.Root)[0].Camera.Fx);
    }

    [Theory]
    [InlineData("20 21 7.5", "expected 4 to 9 numbers")]
    [InlineData("20 21 7.5 4 1 2 3 4 5 6", "expected 4 to 9 numbers")]
    [InlineData("0 21 7.5 4", "focal lengths must be positive")]
    [InlineData("20 21 x 4", "cx is not a number")]
    [InlineData("20 21 7 4\n20 21 7 4", "found 2 data lines")]
    public void Malformed_intrinsics_are_refused(string content, string problem)
    {
        _data.Image("a.png");
        _data.Text("intrinsics.txt", content);
        Assert.Contains(problem, Assert.ThrowsAny<DatasetException>(() => ImageFolderReader.Read(_data.Root)).Message);
    }

    [Fact]
    public void Folders_without_images_or_intrinsics_are_refused()
    {
        _data.Text("intrinsics.txt", "20 21 7.5 4");
        Assert.Contains("holds no images", Assert.ThrowsAny<DatasetException>(() => ImageFolderReader.Read(_data.Root)).Message);
        File.Delete(_data.PathOf("intrinsics.txt"));
        _data.Image("a.png");
        Assert.Contains("intrinsics.txt", Assert.ThrowsAny<DatasetException>(() => ImageFolderReader.Read(_data.Root)).Message);
    }
}
