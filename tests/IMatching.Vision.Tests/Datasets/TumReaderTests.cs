using IMatching.Geometry;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class TumReaderTests : IDisposable
{
    private readonly TempDataset _data = new("rgbd_dataset_freiburg3_test");

    public void Dispose() => _data.Dispose();

    private void WriteImages(params string[] stamps)
    {
        _data.Text("rgb.txt", ["# timestamp filename", .. stamps.Select(s => $"{s} rgb/{s}.png")]);
        foreach (string s in stamps) _data.Image($"rgb/{s}.png", width: 10, height: 7);
    }

    [Fact]
    public void Ground_truth_camera_to_world_becomes_its_inverse()
    {
        WriteImages("1.1");
        double h = Math.Sqrt(0.5);
        _data.Text("groundtruth.txt", "# timestamp tx ty tz qx qy qz qw", $"1.1 1 2 3 0 0 {h} {h}");

        var frame = TumReader.Read(_data.Root)[0];

        var worldFromCamera = new Se3(PoseAssert.RotationZ(Math.PI / 2), new Vec3(1, 2, 3));
        PoseAssert.Equal(worldFromCamera.Inverse(), frame.GroundTruthCameraFromWorld);
        PoseAssert.Close(new Vec3(1, 2, 3), frame.GroundTruthCameraFromWorld!.Value.InverseTranslation);
        Assert.Equal(1.1, frame.TimestampSeconds);
        Assert.Equal(_data.PathOf("rgb/1.1.png"), frame.ImagePath);
    }

    [Fact]
    public void Poses_are_interpolated_between_neighbours_or_taken_from_the_nearest_within_20_ms()
    {
        WriteImages("1.000", "1.100", "2.000");
        _data.Text("groundtruth.txt",
            "0.990 0 0 0 0 0 0 1",
            $"1.010 2 0 0 0 0 {Math.Sin(0.1)} {Math.Cos(0.1)}",
            "1.115 5 5 5 0 0 0 1",
            "1.300 9 9 9 0 0 0 1");

        var frames = TumReader.Read(_data.Root).Frames;

        PoseAssert.Equal(new Se3(PoseAssert.RotationZ(0.1), new Vec3(1, 0, 0)).Inverse(), frames[0].GroundTruthCameraFromWorld, 1e-12);
        PoseAssert.Equal(new Se3(Mat3.Identity, new Vec3(5, 5, 5)).Inverse(), frames[1].GroundTruthCameraFromWorld);
        Assert.Null(frames[2].GroundTruthCameraFromWorld);
    }

    [Fact]
    public void Depth_images_pair_with_the_nearest_depth_within_20_ms_and_scale_5000()
    {
        WriteImages("1.000", "1.100");
        _data.Text("depth.txt", "1.150 depth/1.150.png", "1.012 depth/1.012.png");

        var frames = TumReader.Read(_data.Root).Frames;

        Assert.Equal(_data.PathOf("depth/1.012.png"), frames[0].DepthPath);
        Assert.Equal(5000, frames[0].DepthScale);
        Assert.Null(frames[1].DepthPath);
    }

    [Fact]
    public void Intrinsics_come_from_camera_txt_then_the_folder_name_and_an_explicit_file_overrides_both()
    {
        WriteImages("1.0");
        var published = TumReader.Read(_data.Root)[0].Camera;
        Assert.Equal((10, 7, 535.4, 539.2, 320.1, 247.6), (published.Width, published.Height, published.Fx, published.Fy, published.Cx, published.Cy));

        _data.Text("camera.txt", "# comment", "pinhole 500 501 300 200 0.1 -0.2 0.001 0.002 0.3");
        var fromFile = TumReader.Read(_data.Root)[0].Camera;
        Assert.Equal([500, 501, 300, 200, 0.1, -0.2, 0.001, 0.002, 0.3], fromFile.ToParameters());

        string explicitFile = _data.Text("other/k.txt", "400 400 5 3");
        var overridden = TumReader.Read(_data.Root, explicitFile)[0].Camera;
        Assert.Equal([400, 400, 5, 3, 0, 0, 0, 0, 0], overridden.ToParameters());
    }

    [Fact]
    public void A_folder_without_camera_txt_or_freiburg_name_is_refused()
    {
        using var other = new TempDataset("mystery");
        other.Text("rgb.txt", "1.0 a.png");
        other.Image("a.png");

        var error = Assert.ThrowsAny<UserInputException>(() => TumReader.Read(other.Root));
        Assert.Contains("freiburg", error.Message);
    }

    [Fact]
    public void Malformed_files_are_reported_with_file_and_line()
    {
        WriteImages("1.0");
        _data.Text("groundtruth.txt", "# header", "1.0 0 0 0 0 0 0 1", "1.1 NaN 0 0 0 0 0 1");
        var nan = Assert.Throws<DatasetFormatException>(() => TumReader.Read(_data.Root));
        Assert.Equal(3, nan.Line);
        Assert.EndsWith("groundtruth.txt", nan.Path);
        Assert.Contains("not finite", nan.Message);

        _data.Text("groundtruth.txt", "1.0 0 0 0 0 0 0");
        Assert.Contains("expected 8 fields", Assert.Throws<DatasetFormatException>(() => TumReader.Read(_data.Root)).Message);

        _data.Text("rgb.txt", "1.0 rgb/1.0.png", "oops rgb/1.0.png");
        var bad = Assert.Throws<DatasetFormatException>(() => TumReader.Read(_data.Root));
        Assert.Equal((2, "rgb.txt"), (bad.Line, Path.GetFileName(bad.Path)));
    }

    [Fact]
    public void Missing_folder_list_or_image_are_named()
    {
        Assert.Contains("nowhere", Assert.ThrowsAny<UserInputException>(() => TumReader.Read(_data.PathOf("nowhere"))).Message);
        Assert.Contains("rgb.txt", Assert.ThrowsAny<UserInputException>(() => TumReader.Read(_data.Root)).Message);
        _data.Text("rgb.txt", "1.0 rgb/missing.png");
        Assert.Contains("missing.png", Assert.ThrowsAny<UserInputException>(() => TumReader.Read(_data.Root)).Message);
    }
}
