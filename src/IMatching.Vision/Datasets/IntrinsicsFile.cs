using IMatching.Geometry.Cameras;

namespace IMatching.Vision.Datasets;

/// <summary>
/// The one intrinsics format this project writes for datasets that carry none (image folders, videos) and reads
/// from TUM's <c>camera.txt</c> and ETH3D's <c>calibration.txt</c>: one data line
/// <c>[pinhole] fx fy cx cy [k1 k2 p1 p2 k3]</c> (OpenCV order; missing trailing coefficients are 0), lines starting
/// with <c>#</c> are comments. Pixels in the file's units with centres at integer coordinates.
/// </summary>
public static class IntrinsicsFile
{
    private static readonly string[] Names = ["fx", "fy", "cx", "cy", "k1", "k2", "p1", "p2", "k3"];

    public static PinholeCamera Read(string path, int width, int height)
    {
        var rows = TextRow.ReadAll(path);
        if (rows.Count != 1) throw new DatasetException(path, $"expected one line 'fx fy cx cy [k1 k2 p1 p2 k3]', found {rows.Count} data lines");
        var row = rows[0];
        int first = row.Count > 0 && row.Fields[0].Equals("pinhole", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        int count = row.Count - first;
        if (count < 4 || count > Names.Length) throw row.Error($"expected 4 to 9 numbers (fx fy cx cy [k1 k2 p1 p2 k3]), found {count} fields");
        var p = new double[Names.Length];
        for (int i = 0; i < count; i++) p[i] = row.Double(first + i, Names[i]);
        if (!(p[0] > 0 && p[1] > 0)) throw row.Error($"focal lengths must be positive, found fx {p[0]}, fy {p[1]}");
        return PinholeCamera.FromParameters(width, height, p);
    }
}
