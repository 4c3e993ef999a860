namespace IMatching.Vision.Datasets;

/// <summary>TUM-style image list (<c>rgb.txt</c>, <c>depth.txt</c>: <c>timestamp relative/path</c> per line), paths made absolute.</summary>
internal static class TimedImageList
{
    /// <summary>The entries in file order (a depth list may be in any order: its caller sorts it).</summary>
    public static List<(double Time, string Path)> Read(string listPath, string folder) =>
        [.. ReadRows(listPath).Select(e => (e.Time, Path.Combine(folder, e.Row.Fields[1])))];

    /// <summary>
    /// A list whose lines are the frames of a sequence: each image once, in increasing time. A repeated or
    /// out-of-order line is refused here, naming the file and line, instead of surfacing after minutes of work
    /// as a trajectory whose timestamps do not increase.
    /// </summary>
    public static List<(double Time, string Path)> ReadFrames(string listPath, string folder)
    {
        var rows = ReadRows(listPath);
        for (int i = 1; i < rows.Count; i++)
            if (!(rows[i].Time > rows[i - 1].Time))
                throw rows[i].Row.Error($"timestamp {rows[i].Row.Fields[0]} does not come after line {rows[i - 1].Row.Line}'s {rows[i - 1].Row.Fields[0]}: list each image once, in time order");
        return [.. rows.Select(e => (e.Time, Path.Combine(folder, e.Row.Fields[1])))];
    }

    private static List<(double Time, TextRow Row)> ReadRows(string listPath)
    {
        var rows = TextRow.ReadAll(listPath).Select(row => (row.RequireAtLeast(2, "timestamp filename").Double(0, "timestamp"), row)).ToList();
        return rows.Count > 0 ? rows : throw new DatasetException(listPath, "lists no images");
    }

    /// <summary><c>timestamp tx ty tz qx qy qz qw</c> per line, worldFromCamera as TUM and ETH3D store it.</summary>
    public static PoseTrajectory ReadTrajectory(string path) =>
        new(TextRow.ReadAll(path).Select(row =>
        {
            row.RequireAtLeast(8, "timestamp tx ty tz qx qy qz qw");
            return (row.Double(0, "timestamp"), PoseFields.TranslationQuaternionXyzw(row, 1));
        }));
}
