namespace IMatching.Vision.Datasets;

/// <summary>TUM-style image list (<c>rgb.txt</c>, <c>depth.txt</c>: <c>timestamp relative/path</c> per line), paths made absolute.</summary>
internal static class TimedImageList
{
    public static List<(double Time, string Path)> Read(string listPath, string folder)
    {
        var entries = new List<(double, string)>();
        foreach (var row in TextRow.ReadAll(listPath))
        {
            row.RequireAtLeast(2, "timestamp filename");
            entries.Add((row.Double(0, "timestamp"), Path.Combine(folder, row.Fields[1])));
        }
        if (entries.Count == 0) throw new DatasetException($"{listPath}: lists no images");
        return entries;
    }

    /// <summary><c>timestamp tx ty tz qx qy qz qw</c> per line, worldFromCamera as TUM and ETH3D store it.</summary>
    public static PoseTrajectory ReadTrajectory(string path) =>
        new(TextRow.ReadAll(path).Select(row =>
        {
            row.RequireAtLeast(8, "timestamp tx ty tz qx qy qz qw");
            return (row.Double(0, "timestamp"), PoseFields.TranslationQuaternionXyzw(row, 1));
        }));
}
