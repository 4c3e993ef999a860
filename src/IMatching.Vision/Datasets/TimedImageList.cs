namespace IMatching.Vision.Datasets;

/// <summary>TUM-style image list (<c>rgb.txt</c>, <c>depth.txt</c>: <c>timestamp relative/path</c> per line), paths made absolute.</summary>
internal static class TimedImageList
{
    public static List<(double Time, string Path)> Read(string listPath, string folder)
    {
        var entries = new List<(double, string)>();
        TextRow? previous = null;
        foreach (var row in TextRow.ReadAll(listPath))
        {
            row.RequireAtLeast(2, "timestamp filename");
            double time = row.Double(0, "timestamp");
            // A repeated or out-of-order line would otherwise surface after minutes of work as a non-increasing trajectory.
            if (previous is not null && !(time > previous.Double(0, "timestamp")))
                throw row.Error($"timestamp {row.Fields[0]} does not come after line {previous.Line}'s {previous.Fields[0]}: list each image once, in time order");
            entries.Add((time, Path.Combine(folder, row.Fields[1])));
            previous = row;
        }
        if (entries.Count == 0) throw new DatasetException(listPath, $"lists no images");
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
