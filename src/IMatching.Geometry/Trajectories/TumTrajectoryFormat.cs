using System.Globalization;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Trajectories;

/// <summary>
/// The TUM RGB-D trajectory format: one pose a line, <c>timestamp tx ty tz qx qy qz qw</c>, holding the camera's
/// pose in the world (worldFromCamera: t is the camera centre); lines starting with '#' are comments.
/// </summary>
public static class TumTrajectoryFormat
{
    /// <summary>
    /// Quaternions whose norm differs from 1 by at most this are normalised (files written with 4-6 decimals are off
    /// by ~1e-4); beyond it the line is more likely corrupt, or holds a different layout, than rounded.
    /// </summary>
    public const double QuaternionNormTolerance = 1e-3;

    private static readonly string[] FieldNames = ["timestamp", "tx", "ty", "tz", "qx", "qy", "qz", "qw"];

    public static Trajectory Read(string path)
    {
        InputPaths.RequireFile(path, "trajectory file");
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static Trajectory Read(TextReader reader, string sourceName)
    {
        var poses = new List<TimedPose>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#') continue;
            var pose = ParseLine(text, sourceName, lineNumber);
            if (poses.Count > 0 && !(pose.Timestamp > poses[^1].Timestamp))
                throw new TrajectoryFormatException(sourceName, lineNumber,
                    Invariant($"timestamp {pose.Timestamp:R} does not follow the previous one ({poses[^1].Timestamp:R}); poses must be in increasing time order"));
            poses.Add(pose);
        }
        if (poses.Count == 0)
            throw new TrajectoryFormatException(sourceName, Math.Max(lineNumber, 1), "no poses (expected lines 'timestamp tx ty tz qx qy qz qw')");
        return new Trajectory(poses);
    }

    private static TimedPose ParseLine(ReadOnlySpan<char> text, string sourceName, int lineNumber)
    {
        // The TUM tools accept commas and tabs as separators as well as spaces.
        Span<double> values = stackalloc double[FieldNames.Length];
        int count = 0;
        foreach (var range in text.SplitAny(" \t,"))
        {
            var field = text[range];
            if (field.IsEmpty) continue;
            if (count < values.Length)
            {
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new TrajectoryFormatException(sourceName, lineNumber, $"{FieldNames[count]} '{field}' is not a number");
                if (!double.IsFinite(value))
                    throw new TrajectoryFormatException(sourceName, lineNumber, $"{FieldNames[count]} '{field}' is not finite");
                values[count] = value;
            }
            count++;
        }
        if (count != values.Length)
            throw new TrajectoryFormatException(sourceName, lineNumber,
                Invariant($"expected 8 values (timestamp tx ty tz qx qy qz qw), found {count}"));

        var q = new UnitQuaternion(values[7], values[4], values[5], values[6]);
        double norm = Math.Sqrt(q.W * q.W + q.X * q.X + q.Y * q.Y + q.Z * q.Z);
        if (!(Math.Abs(norm - 1) <= QuaternionNormTolerance))
            throw new TrajectoryFormatException(sourceName, lineNumber,
                Invariant($"quaternion (qx qy qz qw) has norm {norm:G6}, not 1 (tolerance {QuaternionNormTolerance:G2})"));
        var worldFromCamera = Se3.FromQuaternion(q.Normalized(), new Vec3(values[1], values[2], values[3]));
        return new TimedPose(values[0], worldFromCamera.Inverse());
    }

    /// <summary>Writes with round-trip precision to a temporary file renamed over <paramref name="path"/>, so readers never see half a file.</summary>
    public static void Write(Trajectory trajectory, string path) => AtomicFile.WriteText(path, writer => Write(trajectory, writer));

    public static void Write(Trajectory trajectory, TextWriter writer)
    {
        writer.WriteLine("# timestamp tx ty tz qx qy qz qw");
        foreach (var pose in trajectory.Poses)
        {
            var worldFromCamera = pose.CameraFromWorld.Inverse();
            var q = UnitQuaternion.FromRotation(worldFromCamera.Rotation);
            var t = worldFromCamera.Translation;
            writer.WriteLine(Invariant($"{pose.Timestamp:R} {t.X:R} {t.Y:R} {t.Z:R} {q.X:R} {q.Y:R} {q.Z:R} {q.W:R}"));
        }
    }

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
