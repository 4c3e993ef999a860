using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Tests.TestSupport;

namespace IMatching.Vision.Tests.Datasets;

public sealed class EurocReaderTests : IDisposable
{
    private readonly TempDataset _data = new("MH_01_easy");

    public void Dispose() => _data.Dispose();

    // As EuRoC writes it, T_BS spread over lines; here a 90 degree turn about z and an offset.
    private const string SensorYaml = """
        sensor_type: camera
        comment: VI-Sensor cam0 (MT9M034)
        T_BS:
          cols: 4
          rows: 4
          data: [0.0, -1.0, 0.0, 0.1,
                 1.0, 0.0, 0.0, 0.2,
                 0.0, 0.0, 1.0, 0.3,
                 0.0, 0.0, 0.0, 1.0]
        rate_hz: 20
        resolution: [752, 480]
        camera_model: pinhole
        intrinsics: [458.654, 457.296, 367.215, 248.375] #fu, fv, cu, cv
        distortion_model: radial-tangential
        distortion_coefficients: [-0.28340811, 0.07395907, 0.00019359, 1.76187114e-05]
        """;

    private void WriteCamera(string yaml = SensorYaml)
    {
        _data.Text("mav0/cam0/sensor.yaml", yaml);
        _data.Text("mav0/cam0/data.csv", "#timestamp [ns],filename", "1000000000,1000000000.png", "1050000000,1050000000.png");
    }

    [Fact]
    public void Camera_pose_is_world_from_body_times_T_BS_inverted_and_interpolated()
    {
        WriteCamera();
        _data.Text("mav0/state_groundtruth_estimate0/data.csv",
            "#timestamp, p_RS_R_x [m], p_RS_R_y [m], p_RS_R_z [m], q_RS_w [], q_RS_x [], q_RS_y [], q_RS_z [], v_RS_R_x [m s^-1]",
            "995000000,0,0,0,1,0,0,0,0.5",
            "1005000000,2,0,0,1,0,0,0,0.5");

        var sequence = EurocReader.Read(_data.Root);

        Assert.Equal("MH_01_easy", sequence.Name);
        Assert.Equal([1.0, 1.05], sequence.Frames.Select(f => f.TimestampSeconds));
        Assert.Equal(_data.PathOf("mav0/cam0/data/1000000000.png"), sequence[0].ImagePath);
        var bodyFromCamera = new Se3(PoseAssert.RotationZ(Math.PI / 2), new Vec3(0.1, 0.2, 0.3));
        var worldFromBody = new Se3(Mat3.Identity, new Vec3(1, 0, 0));
        PoseAssert.Equal(worldFromBody.Compose(bodyFromCamera).Inverse(), sequence[0].GroundTruthCameraFromWorld, 1e-12);
        Assert.Null(sequence[1].GroundTruthCameraFromWorld);
    }

    [Fact]
    public void Intrinsics_distortion_and_size_come_from_sensor_yaml()
    {
        WriteCamera();

        var camera = EurocReader.Read(_data.PathOf("mav0"))[0].Camera;

        Assert.Equal([458.654, 457.296, 367.215, 248.375, -0.28340811, 0.07395907, 0.00019359, 1.76187114e-05, 0], camera.ToParameters());
        Assert.Equal((752, 480), (camera.Width, camera.Height));
    }

    [Fact]
    public void Unsupported_or_broken_sensor_yaml_is_refused()
    {
        WriteCamera(SensorYaml.Replace("radial-tangential", "equidistant"));
        Assert.Contains("equidistant", Assert.ThrowsAny<DatasetException>(() => EurocReader.Read(_data.Root)).Message);

        WriteCamera(SensorYaml.Replace("[458.654, ", "[nan, "));
        Assert.Contains("'intrinsics' holds 'nan'", Assert.ThrowsAny<DatasetException>(() => EurocReader.Read(_data.Root)).Message);

        WriteCamera(SensorYaml.Replace("0.0, 0.0, 0.0, 1.0]", "0.0, 0.0, 1.0]"));
        Assert.Contains("'data' has 15 values", Assert.ThrowsAny<DatasetException>(() => EurocReader.Read(_data.Root)).Message);
    }
}
