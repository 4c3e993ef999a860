using System.Globalization;
using IMatching.Vision.Evaluation;
using Spectre.Console;

namespace IMatching.Cli.Reports;

/// <summary>
/// The side-by-side table of <c>imatching eval</c>: one row per model, fractions in [0, 1]. A metric gets columns
/// only when some model has it (a dash marks a model without it), so a wide table is not mostly dashes.
/// </summary>
public static class EvaluationTable
{
    public static Table Build(IReadOnlyList<ModelEvaluation> models)
    {
        bool mma = models.Any(m => m.Summary.Mma is not null);
        bool epipolar = models.Any(m => m.Summary.Epipolar is not null);
        bool auc = models.Any(m => m.Summary.Auc is not null);
        var table = new Table().AddColumn("model").AddColumn(new TableColumn("pairs").RightAligned());
        if (mma) AddCurveColumns(table, "MMA", MetricThresholds.Pixels);
        if (epipolar) AddCurveColumns(table, "Epi", MetricThresholds.Pixels);
        if (auc) AddCurveColumns(table, "AUC", MetricThresholds.Degrees);
        table.AddColumn(new TableColumn("matches/pair").RightAligned()).AddColumn(new TableColumn("s/pair").RightAligned());
        foreach (var model in models)
        {
            var s = model.Summary;
            var cells = new List<string> { Markup.Escape(model.Model), s.Pairs.ToString(CultureInfo.InvariantCulture) };
            if (mma) cells.AddRange(Cells(s.Mma, MetricThresholds.Pixels.Count));
            if (epipolar) cells.AddRange(Cells(s.Epipolar, MetricThresholds.Pixels.Count));
            if (auc) cells.AddRange(Cells(s.Auc, MetricThresholds.Degrees.Count));
            cells.Add(s.MatchesPerPair.ToString("F0", CultureInfo.InvariantCulture));
            cells.Add(s.SecondsPerPair.ToString("F3", CultureInfo.InvariantCulture));
            table.AddRow([.. cells]);
        }
        if (!(mma && epipolar && auc)) table.Caption(Missing(mma, epipolar, auc));
        return table;
    }

    private static string Missing(bool mma, bool epipolar, bool auc) => string.Join("; ", new[]
    {
        mma ? null : "no MMA: the data has neither homographies nor depth",
        epipolar && auc ? null : "no epipolar precision or pose AUC: the data has no ground-truth poses",
    }.OfType<string>());

    private static void AddCurveColumns(Table table, string metric, IReadOnlyList<double> thresholds)
    {
        foreach (double t in thresholds) table.AddColumn(new TableColumn($"{metric}@{t.ToString(CultureInfo.InvariantCulture)}").RightAligned());
    }

    private static IEnumerable<string> Cells(double[]? curve, int count) =>
        curve?.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)) ?? Enumerable.Repeat("-", count);
}
