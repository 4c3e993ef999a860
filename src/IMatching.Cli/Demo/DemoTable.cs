using System.Globalization;
using IMatching.Vision.Evaluation;
using Spectre.Console;

namespace IMatching.Cli.Demo;

/// <summary>The before/after table the demo ends with, and the relative gains it is judged by.</summary>
public static class DemoTable
{
    private static readonly int[] PixelColumns = [0, 1, 3]; // 1, 2 and 5 px of MetricThresholds.Pixels

    public static Table Build(DemoResult result)
    {
        var table = new Table().Title("held-out target frames");
        table.AddColumn("model");
        foreach (int i in PixelColumns) table.AddColumn(new TableColumn($"MMA@{MetricThresholds.Pixels[i]}px").RightAligned());
        foreach (var t in MetricThresholds.Degrees) table.AddColumn(new TableColumn($"AUC@{t}").RightAligned());
        table.AddColumn(new TableColumn("matches/pair").RightAligned());
        foreach (var model in result.Rows)
        {
            var s = model.Summary;
            var cells = new List<string> { model.Model };
            cells.AddRange(PixelColumns.Select(i => Format(s.Mma?[i])));
            cells.AddRange(Enumerable.Range(0, MetricThresholds.Degrees.Count).Select(i => Format(s.Auc?[i])));
            cells.Add(s.MatchesPerPair.ToString("F0", CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        return table;
    }

    /// <summary>"MMA@2px 0.412 -> 0.468 (+13.6 %)" and the same for AUC@10: after against before, and against the statistics-only baseline.</summary>
    public static IEnumerable<string> Gains(DemoResult result)
    {
        yield return "after vs before: " + Gain("MMA@2px", result.Before.Summary.Mma?[1], result.After.Summary.Mma?[1]);
        yield return "after vs before: " + Gain("AUC@10", result.Before.Summary.Auc?[1], result.After.Summary.Auc?[1]);
        yield return "after vs batchnorm: " + Gain("MMA@2px", result.BatchNorm.Summary.Mma?[1], result.After.Summary.Mma?[1]);
        yield return "after vs batchnorm: " + Gain("AUC@10", result.BatchNorm.Summary.Auc?[1], result.After.Summary.Auc?[1]);
        bool same = result.Control.Summary.Mma?.SequenceEqual(result.Before.Summary.Mma ?? []) ?? result.Before.Summary.Mma is null;
        yield return same ? "control: equal to before (the 0-step checkpoint reproduces the start)" : "control: DIFFERS from before - the before/after comparison is not sound";
    }

    private static string Gain(string name, double? before, double? after) => (before, after) switch
    {
        ({ } b, { } a) when b > 0 => string.Create(CultureInfo.InvariantCulture, $"{name}: {b:F3} -> {a:F3} ({(a - b) / b * 100:+0.0;-0.0} % relative)"),
        ({ } b, { } a) => string.Create(CultureInfo.InvariantCulture, $"{name}: {b:F3} -> {a:F3}"),
        _ => $"{name}: not available on this data",
    };

    private static string Format(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
