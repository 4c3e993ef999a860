using IMatching.Geometry;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class TartanAirReaderTests : IDisposable
{
    private readonly TempDataset _data = new("P001");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Ned_body_poses_become_camera_poses_with_z_forward_and_y_down()
    {
        _data.Image("image_left/000000_left.png");
        _data.Image("image_left/000001_left.png");
        double h = Math.Sqrt(0.5);
        _data.Text("pose_left.txt",
            "1 0 0 0 0 0 1",             // one metre north (forward), level
            $"0 0 0 0 0 {h} {h}");       // turned 90 degrees to the right (yaw about down)

        var sequence = TartanAirReader.Read(_data.Root);

        // Forward is camera z, so moving forward moves the camera centre along world z.
        PoseAssert.Equal(new Se3(Mat3.Identity, new Vec3(0, 0, 1)).Inverse(), sequence[0].GroundTruthCameraFromWorld, 1e-12);
        // Turning right about the down axis is a turn about camera y: the camera's z now points along world x.
        var worldFromCamera1 = sequence[1].GroundTruthCameraFromWorld!.Value.Inverse();
        PoseAssert.Close(new Vec3(1, 0, 0), worldFromCamera1.Rotation.Column(2));
        PoseAssert.Close(new Vec3(0, 1, 0), worldFromCamera1.Rotation.Column(1));
        Assert.Equal([0.0, 1.0], sequence.Frames.Select(f => f.TimestampSeconds));
        Assert.Equal(TartanAirReader.Camera, sequence[0].Camera);
        Assert.Equal((640, 480, 320.0, 240.0), (sequence[0].Camera.Width, sequence[0].Camera.Height, sequence[0].Camera.Cx, sequence[0].Camera.Cy));
    }

    [Fact]
    public void Depth_npy_files_pair_by_name_in_metres()
    {
        _data.Image("image_left/000000_left.png");
        _data.Image("image_left/000001_left.png");
        _data.Npy("depth_left/000000_left_depth.npy", "<f4", "(2, 3)", TempDataset.Float32Bytes(1, 2, 3, 4, 5, 6));

        var sequence = TartanAirReader.Read(_data.Root);

        Assert.Equal(_data.PathOf("depth_left/000000_left_depth.npy"), sequence[0].DepthPath);
        Assert.Null(sequence[1].DepthPath);
        var depth = DepthMapLoader.Load(sequence[0].DepthPath!, sequence[0].DepthScale);
        Assert.Equal((3, 2, 6f), (depth.Width, depth.Height, depth.At(2, 1)));
        // Read for its frame, a depth map must cover the frame's 640x480 pixels.
        var error = Assert.ThrowsAny<UserInputException>(() => DepthMapLoader.Load(sequence[0]));
        Assert.Contains("000000_left_depth.npy: is 3x2, but the sequence's images are 640x480", error.Message);
    }

    [Fact]
    public void Pose_count_and_quaternions_are_checked()
    {
        _data.Image("image_left/000000_left.png");
        _data.Text("pose_left.txt", "0 0 0 0 0 0 1", "0 0 0 0 0 0 1");
        Assert.Contains("2 poses for 1 images", Assert.ThrowsAny<DatasetException>(() => TartanAirReader.Read(_data.Root)).Message);
        _data.Text("pose_left.txt", "0 0 0 0 0 0 3");
        Assert.Contains("quaternion norm", Assert.Throws<DatasetFormatException>(() => TartanAirReader.Read(_data.Root)).Message);
    }
}
