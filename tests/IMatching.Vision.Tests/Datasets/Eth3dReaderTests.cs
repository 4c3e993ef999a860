using IMatching.Geometry;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class Eth3dReaderTests : IDisposable
{
    private readonly TempDataset _data = new("sofa_1");

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Reads_calibration_ground_truth_and_depth()
    {
        _data.Text("rgb.txt", "# color images", "10.000000 rgb/10.000000.png", "10.066667 rgb/10.066667.png");
        _data.Text("depth.txt", "10.000000 depth/10.000000.png", "10.066667 depth/10.066667.png");
        _data.Text("groundtruth.txt", "# timestamp tx ty tz qx qy qz qw", "10.000000 0.5 0 0 0 0 0 1", "10.066667 0.6 0 0 0 0 0 1");
        _data.Text("calibration.txt", "726.28 726.28 354.6 186.4");
        _data.Image("rgb/10.000000.png", 739, 458);

        var sequence = Eth3dReader.Read(_data.Root);

        Assert.Equal(2, sequence.Count);
        Assert.True(sequence.HasGroundTruthPoses && sequence.HasDepth);
        Assert.Equal([726.28, 726.28, 354.6, 186.4, 0, 0, 0, 0, 0], sequence[0].Camera.ToParameters());
        Assert.Equal((739, 458), (sequence[0].Camera.Width, sequence[0].Camera.Height));
        PoseAssert.Equal(new Se3(Mat3.Identity, new Vec3(-0.6, 0, 0)), sequence[1].GroundTruthCameraFromWorld);
        Assert.Equal((_data.PathOf("depth/10.066667.png"), 5000.0), (sequence[1].DepthPath, sequence[1].DepthScale));
    }

    [Fact]
    public void Missing_calibration_is_named()
    {
        _data.Text("rgb.txt", "1 a.png");
        _data.Image("a.png");
        Assert.Contains("calibration.txt", Assert.ThrowsAny<UserInputException>(() => Eth3dReader.Read(_data.Root)).Message);
    }
}
