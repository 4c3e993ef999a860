using IMatching.Geometry;
using IMatching.Geometry.Cameras;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Datasets;

public sealed class FrameImageLoaderTests : IDisposable
{
    private readonly TempDataset _data = new("images");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Loads_colour_or_grey_and_keeps_hashes_in_real_file_names()
    {
        string path = _data.Image("shot#2.png", 9, 4, level: 77);

        using var colour = FrameImageLoader.Load(path);
        using var grey = FrameImageLoader.Load(path, ImreadModes.Grayscale);

        Assert.Equal((MatType.CV_8UC3, 9, 4), (colour.Type(), colour.Width, colour.Height));
        Assert.Equal((MatType.CV_8UC1, 77.0), (grey.Type(), Cv2.Mean(grey).Val0));
    }

    [Fact]
    public void Missing_and_corrupt_images_are_named()
    {
        Assert.Contains("gone.png", Assert.ThrowsAny<UserInputException>(() => FrameImageLoader.Load(_data.PathOf("gone.png")).Dispose()).Message);
        string corrupt = _data.Text("corrupt.png", "garbage");
        var error = Assert.ThrowsAny<UserInputException>(() => FrameImageLoader.Load(corrupt).Dispose());
        Assert.Contains("corrupt.png", error.Message);
        Assert.Contains("not a readable image", error.Message);
    }

    [Fact]
    public void A_frame_must_have_the_size_its_intrinsics_describe()
    {
        var camera = new PinholeCamera(9, 4, 10, 10, 4, 1.5);
        using (var image = FrameImageLoader.Load(new Frame(0, 0, _data.Image("right.png", 9, 4), camera))) Assert.Equal(9, image.Width);

        var error = Assert.ThrowsAny<UserInputException>(() => FrameImageLoader.Load(new Frame(1, 0, _data.Image("small.png", 5, 3), camera)).Dispose());
        Assert.Contains("small.png: is 5x3", error.Message);
        Assert.Contains("9x4", error.Message);
    }
}
