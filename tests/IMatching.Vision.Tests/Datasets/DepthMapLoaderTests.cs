using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class DepthMapLoaderTests : IDisposable
{
    private readonly TempDataset _data = new("depth");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Png_values_divide_by_the_scale_and_zero_is_missing()
    {
        string path = _data.DepthPng("d.png", 3, 2, [0, 5000, 10000, 2500, 65535, 1]);

        var depth = DepthMapLoader.Load(path, 5000);

        Assert.Equal((3, 2), (depth.Width, depth.Height));
        Assert.True(float.IsNaN(depth.At(0, 0)));
        Assert.Equal([1f, 2f, 0.5f, 13.107f, 0.0002f], depth.Metres[1..]);
    }

    [Fact]
    public void Npy_float32_reads_row_major_with_non_positive_values_missing()
    {
        string path = _data.Npy("d.npy", "<f4", "(2, 2)", TempDataset.Float32Bytes(1.5f, 0f, float.PositiveInfinity, 4f));

        var depth = DepthMapLoader.Load(path, 1);

        Assert.Equal((2, 2, 1.5f, 4f), (depth.Width, depth.Height, depth.At(0, 0), depth.At(1, 1)));
        Assert.True(float.IsNaN(depth.At(1, 0)) && float.IsNaN(depth.At(0, 1)));
    }

    [Theory]
    [InlineData("<f8", "(1, 1)", 8, false, "dtype '<f8' is not supported")]
    [InlineData(">f4", "(1, 1)", 4, false, "dtype '>f4'")]
    [InlineData("<f4", "(1, 1)", 4, true, "Fortran-order")]
    [InlineData("<f4", "(1, 1, 1)", 4, false, "3 dimensions, need 2")]
    [InlineData("<f4", "(2, 2)", 12, false, "holds 12 data bytes, shape (2, 2) needs 16")]
    public void Unsupported_npy_files_say_why(string descr, string shape, int dataBytes, bool fortran, string problem)
    {
        string path = _data.Npy("bad.npy", descr, shape, new byte[dataBytes], fortran);
        var error = Assert.ThrowsAny<DatasetException>(() => NpyReader.ReadFloat32Matrix(path));
        Assert.Contains("bad.npy", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Non_npy_and_8_bit_depth_files_are_refused()
    {
        string notNpy = _data.Text("x.npy", "hello world");
        Assert.Contains("not a .npy file", Assert.ThrowsAny<DatasetException>(() => DepthMapLoader.Load(notNpy, 1)).Message);
        string eightBit = _data.Image("rgb.png");
        Assert.Contains("expected 16-bit single channel", Assert.ThrowsAny<DatasetException>(() => DepthMapLoader.Load(eightBit, 5000)).Message);
    }

    [Fact]
    public void Frames_without_depth_are_refused()
    {
        var frame = new Frame(0, 0, "a.png", new IMatching.Geometry.Cameras.PinholeCamera(2, 2, 1, 1, 0.5, 0.5));
        Assert.Contains("has no depth map", Assert.ThrowsAny<DatasetException>(() => DepthMapLoader.Load(frame)).Message);
    }
}
