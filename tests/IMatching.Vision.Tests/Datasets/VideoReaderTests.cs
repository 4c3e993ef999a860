using CvSize = OpenCvSharp.Size;
using IMatching.Geometry;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Datasets;

public sealed class VideoReaderTests : IDisposable
{
    private readonly TempDataset _data = new("videos");

    public void Dispose() => _data.Dispose();

    /// <summary>Five frames whose grey level is 40 * index, so a loaded frame tells which one it is (MJPG is lossy, levels survive).</summary>
    private string WriteVideo(string name = "clip.avi")
    {
        string path = _data.PathOf(name);
        using var writer = new VideoWriter(path, FourCC.MJPG, 10, new CvSize(32, 24));
        Assert.True(writer.IsOpened());
        for (int i = 0; i < 5; i++)
        {
            using var frame = new Mat(24, 32, MatType.CV_8UC3, Scalar.All(40 * i));
            writer.Write(frame);
        }
        return path;
    }

    [Fact]
    public void Frames_are_named_lazily_and_decoded_in_any_order()
    {
        string video = WriteVideo();
        _data.Text("clip.avi.intrinsics.txt", "30 30 15.5 11.5");

        var sequence = VideoReader.Read(video);

        Assert.Equal(5, sequence.Count);
        Assert.Equal(0.3, sequence[3].TimestampSeconds, 9);
        Assert.Equal(video + "#3", sequence[3].ImagePath);
        Assert.Equal((32, 24, 30.0), (sequence[0].Camera.Width, sequence[0].Camera.Height, sequence[0].Camera.Fx));
        foreach (int i in new[] { 3, 1, 2, 4, 0 })
        {
            using var image = FrameImageLoader.Load(sequence[i]);
            Assert.Equal(MatType.CV_8UC3, image.Type());
            Assert.InRange(Cv2.Mean(image).Val0, 40 * i - 3, 40 * i + 3);
        }
        using var grey = FrameImageLoader.Load(sequence[2], ImreadModes.Grayscale);
        Assert.Equal((MatType.CV_8UC1, 32), (grey.Type(), grey.Width));
    }

    [Fact]
    public void Intrinsics_txt_beside_the_video_is_the_fallback()
    {
        string video = WriteVideo();
        _data.Text("intrinsics.txt", "31 30 15.5 11.5");
        Assert.Equal(31, VideoReader.Read(video)[0].Camera.Fx);
    }

    [Fact]
    public void Missing_intrinsics_missing_video_and_corrupt_video_are_named()
    {
        string video = WriteVideo();
        Assert.Contains("clip.avi.intrinsics.txt", Assert.ThrowsAny<UserInputException>(() => VideoReader.Read(video)).Message);

        _data.Text("intrinsics.txt", "30 30 15.5 11.5");
        string corrupt = _data.Text("broken.avi", "not a video");
        Assert.Contains("broken.avi", Assert.ThrowsAny<UserInputException>(() => VideoReader.Read(corrupt)).Message);
        Assert.Contains("missing.avi", Assert.ThrowsAny<UserInputException>(() => VideoReader.Read(_data.PathOf("missing.avi"))).Message);
        Assert.Contains("frame 9", Assert.ThrowsAny<UserInputException>(() => FrameImageLoader.Load(VideoFramePath.Format(video, 9)).Dispose()).Message);
    }
}
