using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class KittiReaderTests : IDisposable
{
    private readonly TempDataset _data = new("dataset");

    public void Dispose() => _data.Dispose();

    private const string Calib =
        "P0: 700 0 600 0 0 710 180 0 0 0 1 0\n" +
        "P1: 700 0 600 -380 0 710 180 0 0 0 1 0\n" +
        "P2: 720 0 610 44 0 730 170 0.2 0 0 1 0.003";

    [Fact]
    public void Grey_sequence_reads_P0_times_and_inverts_camera_to_world_poses()
    {
        for (int i = 0; i < 3; i++) _data.Image($"image_0/{i:D6}.png", 12, 5);
        _data.Text("calib.txt", Calib);
        _data.Text("times.txt", "0.0", "0.11", "0.2");
        _data.Text("poses.txt",
            "1 0 0 0 0 1 0 0 0 0 1 0",
            "0 -1 0 1 1 0 0 2 0 0 1 3",
            "1 0 0 0 0 1 0 0 0 0 1 2");

        var sequence = KittiReader.Read(_data.Root);

        Assert.Equal(3, sequence.Count);
        var camera = sequence[0].Camera;
        Assert.Equal((12, 5, 700.0, 710.0, 600.0, 180.0, false), (camera.Width, camera.Height, camera.Fx, camera.Fy, camera.Cx, camera.Cy, camera.HasDistortion));
        Assert.Equal([0.0, 0.11, 0.2], sequence.Frames.Select(f => f.TimestampSeconds));
        PoseAssert.Equal(Se3.Identity, sequence[0].GroundTruthCameraFromWorld);
        PoseAssert.Equal(new Se3(PoseAssert.RotationZ(Math.PI / 2), new Vec3(1, 2, 3)).Inverse(), sequence[1].GroundTruthCameraFromWorld, 1e-12);
    }

    [Fact]
    public void Colour_sequence_reads_P2_poses_from_the_poses_folder_and_10_Hz_timestamps()
    {
        string sequenceFolder = _data.PathOf("sequences/07");
        for (int i = 0; i < 2; i++) _data.Image($"sequences/07/image_2/{i:D6}.png");
        _data.Text("sequences/07/calib.txt", Calib);
        _data.Text("poses/07.txt", "1 0 0 0 0 1 0 0 0 0 1 0", "1 0 0 0 0 1 0 0 0 0 1 1");

        var sequence = KittiReader.Read(sequenceFolder);

        Assert.Equal((720.0, 730.0, 610.0, 170.0), (sequence[0].Camera.Fx, sequence[0].Camera.Fy, sequence[0].Camera.Cx, sequence[0].Camera.Cy));
        Assert.Equal(0.1, sequence[1].TimestampSeconds, 12);
        Assert.Equal(new Vec3(0, 0, -1), sequence[1].GroundTruthCameraFromWorld!.Value.Translation);
    }

    [Fact]
    public void Sequences_without_poses_have_none_and_mismatched_counts_are_refused()
    {
        for (int i = 0; i < 2; i++) _data.Image($"image_0/{i:D6}.png");
        _data.Text("calib.txt", Calib);
        Assert.False(KittiReader.Read(_data.Root).HasGroundTruthPoses);

        _data.Text("poses.txt", "1 0 0 0 0 1 0 0 0 0 1 0");
        Assert.Contains("1 poses for 2 images", Assert.ThrowsAny<DatasetException>(() => KittiReader.Read(_data.Root)).Message);

        _data.Text("poses.txt", "1 0 0 0 0 1 0 0 0 0 1 0", "1 0 0 0 0 1 0 0 0 0 1");
        Assert.Equal(2, Assert.Throws<DatasetFormatException>(() => KittiReader.Read(_data.Root)).Line);
    }

    [Fact]
    public void Missing_images_or_projection_are_named()
    {
        Assert.Contains("image_0 nor image_2", Assert.ThrowsAny<DatasetException>(() => KittiReader.Read(_data.Root)).Message);
        _data.Image("image_0/000000.png");
        _data.Text("calib.txt", "P1: 700 0 600 -380 0 710 180 0 0 0 1 0");
        Assert.Contains("no line for P0", Assert.ThrowsAny<DatasetException>(() => KittiReader.Read(_data.Root)).Message);
    }
}
