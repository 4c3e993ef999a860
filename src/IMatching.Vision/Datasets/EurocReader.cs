using IMatching.Geometry;
using IMatching.Geometry.Lie;

namespace IMatching.Vision.Datasets;

/// <summary>
/// EuRoC MAV (Burri et al. 2016), left camera: <c>mav0/cam0/data.csv</c> (<c>timestamp_ns,filename</c>) with
/// <c>data/*.png</c>, <c>mav0/cam0/sensor.yaml</c> and optional <c>mav0/state_groundtruth_estimate0/data.csv</c>
/// (<c>timestamp_ns, p_RS_R xyz, q_RS wxyz, ...</c>: worldFromBody). cameraFromWorld =
/// (worldFromBody(t) · T_BS)⁻¹, with worldFromBody interpolated to the image time (within 20 ms).
/// </summary>
public static class EurocReader
{
    private const double SecondsPerNanosecond = 1e-9;

    /// <summary><paramref name="folder"/> is the sequence folder holding <c>mav0</c>, or <c>mav0</c> itself.</summary>
    public static Sequence Read(string folder)
    {
        InputPaths.RequireFolder(folder, "EuRoC sequence folder");
        string mav0 = Directory.Exists(Path.Combine(folder, "mav0")) ? Path.Combine(folder, "mav0") : folder;
        string cam0 = Path.Combine(mav0, "cam0");
        var (camera, bodyFromCamera) = EurocSensorYaml.Read(Path.Combine(cam0, "sensor.yaml"));
        string groundTruth = Path.Combine(mav0, "state_groundtruth_estimate0", "data.csv");
        var trajectory = File.Exists(groundTruth) ? ReadTrajectory(groundTruth) : null;
        var rows = TextRow.ReadAll(Path.Combine(cam0, "data.csv"));
        if (rows.Count == 0) throw new DatasetException(Path.Combine(cam0, "data.csv"), "lists no images");
        var frames = new Frame[rows.Count];
        for (int i = 0; i < frames.Length; i++)
        {
            var row = rows[i].RequireAtLeast(2, "timestamp_ns,filename");
            double time = row.Double(0, "timestamp") * SecondsPerNanosecond;
            var worldFromBody = trajectory?.At(time, TimestampMatch.ToleranceSeconds);
            var cameraFromWorld = worldFromBody is { } pose ? pose.Compose(bodyFromCamera).Inverse() : (Se3?)null;
            frames[i] = new Frame(i, time, Path.Combine(cam0, "data", row.Fields[1]), camera, cameraFromWorld);
        }
        return new Sequence(ImageFiles.Name(mav0 == folder ? Path.Combine(folder, "..") : folder), frames);
    }

    private static PoseTrajectory ReadTrajectory(string path) =>
        new(TextRow.ReadAll(path).Select(row =>
        {
            row.RequireAtLeast(8, "timestamp_ns, p_RS_R x y z, q_RS w x y z");
            var rotation = PoseFields.Rotation(row, row.Double(4, "qw"), 5);
            return (row.Double(0, "timestamp") * SecondsPerNanosecond, new Se3(rotation, PoseFields.Translation(row, 1)));
        }));
}
