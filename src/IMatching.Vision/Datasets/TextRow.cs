using System.Globalization;
using IMatching.Geometry;

namespace IMatching.Vision.Datasets;

/// <summary>One data line of a dataset text file, split into fields, with typed access that names the line on error.</summary>
internal sealed record TextRow(string Path, int Line, string[] Fields)
{
    // TUM/KITTI separate by spaces, EuRoC by commas (with or without spaces): one rule reads all of them.
    private static readonly char[] Separators = [' ', '\t', ','];

    /// <summary>Every line that holds data: blank lines and <c>#</c> comments are skipped.</summary>
    public static List<TextRow> ReadAll(string path)
    {
        InputPaths.RequireFile(path, "file");
        var rows = new List<TextRow>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            string text = line.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            rows.Add(new TextRow(path, lineNumber, text.Split(Separators, StringSplitOptions.RemoveEmptyEntries)));
        }
        return rows;
    }

    public int Count => Fields.Length;

    public DatasetFormatException Error(string problem) => new(Path, Line, problem);

    public TextRow RequireAtLeast(int count, string layout) =>
        Count >= count ? this : throw Error($"expected {count} fields ({layout}), found {Count}");

    public double Double(int index, string what)
    {
        if (index >= Count) throw Error($"missing {what}");
        if (!double.TryParse(Fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw Error($"{what} is not a number: '{Fields[index]}'");
        return double.IsFinite(value) ? value : throw Error($"{what} is not finite: '{Fields[index]}'");
    }
}
