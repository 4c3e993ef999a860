using OpenCvSharp;
using CvSize = OpenCvSharp.Size;

namespace IMatching.Vision.Tests;

/// <summary>Proves that OpenCvSharp's native library (libOpenCvSharpExtern.so and its apt dependencies) loads and works.</summary>
public sealed class OpenCvNativeSmokeTests : IDisposable
{
    private readonly string _tempDir = Directory.CreateTempSubdirectory("imatching-vision-").FullName;

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    [Fact]
    public void Png_round_trips_in_memory()
    {
        using Mat image = Gradient(48, 32);

        Assert.True(Cv2.ImEncode(".png", image, out byte[] png));
        using Mat decoded = Cv2.ImDecode(png, ImreadModes.Color);

        Assert.Equal(image.Size(), decoded.Size());
        Assert.Equal(MatType.CV_8UC3, decoded.Type());
        using Mat diff = new();
        Cv2.Absdiff(image, decoded, diff);
        Assert.Equal(0, Cv2.CountNonZero(diff.Reshape(1)));
    }

    [Fact]
    public void Gaussian_blur_smooths_an_impulse()
    {
        using Mat impulse = Mat.Zeros(9, 9, MatType.CV_32FC1);
        impulse.Set(4, 4, 1f);
        using Mat blurred = new();

        Cv2.GaussianBlur(impulse, blurred, new CvSize(5, 5), sigmaX: 1.0);

        float center = blurred.At<float>(4, 4);
        Assert.InRange(center, 0.05f, 0.99f);
        Assert.True(blurred.At<float>(4, 5) > 0f);
        Assert.Equal(1.0, Cv2.Sum(blurred).Val0, 4); // Gaussian kernel is normalised
    }

    [Fact]
    public void Mjpg_video_round_trips_through_a_file()
    {
        string path = Path.Combine(_tempDir, "clip.avi");
        var size = new CvSize(64, 48);
        const int frameCount = 5;

        using (var writer = new VideoWriter(path, FourCC.MJPG, 10, size))
        {
            Assert.True(writer.IsOpened(), "VideoWriter could not open an MJPG/AVI file");
            for (int i = 0; i < frameCount; i++)
            {
                using Mat frame = new(size, MatType.CV_8UC3, new Scalar(40 * i, 128, 255 - 40 * i));
                writer.Write(frame);
            }
        }

        Assert.True(new FileInfo(path).Length > 0);
        using var capture = new VideoCapture(path);
        Assert.True(capture.IsOpened(), "VideoCapture could not open the written file");
        int read = 0;
        using Mat readFrame = new();
        while (capture.Read(readFrame) && !readFrame.Empty())
        {
            Assert.Equal(size, readFrame.Size());
            read++;
        }
        Assert.Equal(frameCount, read);
    }

    private static Mat Gradient(int width, int height)
    {
        var mat = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                mat.Set(y, x, new Vec3b((byte)(x * 5), (byte)(y * 7), (byte)((x + y) * 3)));
        return mat;
    }
}
