using System.Globalization;
using IMatching.Geometry;
using IMatching.Vision.Evaluation;

namespace IMatching.Cli.Reports;

/// <summary>The aggregate table as CSV, one row per model; an empty cell where the data lacks the geometry.</summary>
public static class EvaluationCsv
{
    public static void Write(string path, IReadOnlyList<ModelEvaluation> models)
    {
        var header = new List<string> { "model", "dataset", "pairs" };
        header.AddRange(MetricThresholds.Pixels.Select(t => $"mma@{Number(t)}"));
        header.AddRange(MetricThresholds.Pixels.Select(t => $"epipolar@{Number(t)}"));
        header.AddRange(MetricThresholds.Degrees.Select(t => $"auc@{Number(t)}"));
        header.AddRange(["matches_per_pair", "seconds_per_pair"]);
        var lines = new List<string> { string.Join(",", header) };
        foreach (var model in models)
        {
            var s = model.Summary;
            var cells = new List<string> { Quote(model.Model), Quote(EvaluationJson.DatasetLabel(model)), Number(s.Pairs) };
            cells.AddRange(Cells(s.Mma, MetricThresholds.Pixels.Count));
            cells.AddRange(Cells(s.Epipolar, MetricThresholds.Pixels.Count));
            cells.AddRange(Cells(s.Auc, MetricThresholds.Degrees.Count));
            cells.AddRange([Number(s.MatchesPerPair), Number(s.SecondsPerPair)]);
            lines.Add(string.Join(",", cells));
        }
        AtomicFile.WriteText(path, writer => lines.ForEach(writer.WriteLine));
    }

    private static IEnumerable<string> Cells(double[]? curve, int count) => curve?.Select(Number) ?? Enumerable.Repeat("", count);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Model specs may hold paths with commas or quotes.</summary>
    private static string Quote(string text) => text.IndexOfAny([',', '"', '\n']) < 0 ? text : $"\"{text.Replace("\"", "\"\"")}\"";
}
