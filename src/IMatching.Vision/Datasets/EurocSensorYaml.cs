using System.Globalization;
using IMatching.Geometry;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Datasets;

/// <summary>
/// The few fields of a EuRoC <c>sensor.yaml</c> the camera needs (<c>T_BS</c>, <c>resolution</c>, <c>intrinsics</c>,
/// <c>distortion_model</c>, <c>distortion_coefficients</c>). EuRoC writes them as flow lists <c>key: [a, b, ...]</c>,
/// so a key lookup plus a bracketed list is all the YAML this needs.
/// </summary>
internal static class EurocSensorYaml
{
    public static (PinholeCamera Camera, Se3 BodyFromCamera) Read(string path)
    {
        InputPaths.RequireFile(path, "EuRoC sensor.yaml");
        string text = File.ReadAllText(path);
        string model = Scalar(text, path, "distortion_model");
        if (model != "radial-tangential") throw new DatasetException(path, $"distortion_model '{model}' is not supported (only radial-tangential)");
        var resolution = List(text, path, "resolution", 2);
        var k = List(text, path, "intrinsics", 4);
        var d = List(text, path, "distortion_coefficients", 4);
        var camera = new PinholeCamera((int)resolution[0], (int)resolution[1], k[0], k[1], k[2], k[3], d[0], d[1], d[2], d[3]);
        int bodyFromSensor = text.IndexOf("T_BS:", StringComparison.Ordinal);
        if (bodyFromSensor < 0) throw new DatasetException(path, "no T_BS");
        var t = List(text[bodyFromSensor..], path, "data", 16);
        return (camera, new Se3(new Mat3(t[0], t[1], t[2], t[4], t[5], t[6], t[8], t[9], t[10]), new Vec3(t[3], t[7], t[11])));
    }

    private static int ValueStart(string text, string path, string key)
    {
        int at = text.IndexOf(key + ":", StringComparison.Ordinal);
        return at >= 0 ? at + key.Length + 1 : throw new DatasetException(path, $"no '{key}'");
    }

    private static string Scalar(string text, string path, string key)
    {
        int start = ValueStart(text, path, key);
        int end = text.IndexOf('\n', start);
        return text[start..(end < 0 ? text.Length : end)].Trim().Trim('"', '\'');
    }

    private static double[] List(string text, string path, string key, int count)
    {
        int start = ValueStart(text, path, key);
        int open = text.IndexOf('[', start), close = open < 0 ? -1 : text.IndexOf(']', open);
        if (close < 0) throw new DatasetException(path, $"'{key}' is not a [bracketed list]");
        var fields = text[(open + 1)..close].Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != count) throw new DatasetException(path, $"'{key}' has {fields.Length} values, expected {count}");
        return [.. fields.Select(f => double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new DatasetException(path, $"'{key}' holds '{f}', not a finite number"))];
    }
}
