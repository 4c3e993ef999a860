using System.Globalization;
using System.Net;
using System.Text;
using IMatching.Vision.Evaluation;
using OpenCvSharp;

namespace IMatching.Cli.Reports;

/// <summary>
/// Renders <see cref="HtmlReport"/> as one HTML file: inline CSS, no script, every image a data: URI, so the page
/// opens offline and can be mailed or archived alone. Tables show fractions in [0, 1]; the best of each column is bold.
/// </summary>
public static class HtmlReportPage
{
    // Match pictures are photos with thin lines: JPEG keeps the page a few MB where PNG would be tens.
    private const int PictureMaxWidth = 1280, PictureJpegQuality = 85;
    private static readonly string[] PlotOrder = ["mma.png", "epipolar.png", "auc.png", "loss.png", "validation.png"];

    public static string Render(HtmlReport report, IReadOnlyList<string> files, IReadOnlyList<(string Name, string Version)> versions)
    {
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(report.Title)}</title>
            <style>{Style}</style></head>
            <body><h1>{E(report.Title)}</h1>
            <p class="meta">{E(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))} &middot; <code>{E(report.CommandLine)}</code></p>

            """);
        if (report.Notes.Count > 0) html.Append("<ul class=\"notes\">").AppendJoin("", report.Notes.Select(n => $"<li>{E(n)}</li>")).Append("</ul>\n");
        if (report.Models.Count > 0) AppendResults(html, report.Models);

        var plots = PlotOrder.Select(name => files.FirstOrDefault(f => Path.GetFileName(f) == name)).OfType<string>().ToList();
        if (plots.Count > 0)
        {
            html.Append("<h2>Plots</h2><div class=\"plots\">");
            foreach (var plot in plots)
                html.Append($"<figure><img alt=\"{E(Path.GetFileNameWithoutExtension(plot))}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(plot))}\"></figure>");
            html.Append("</div>\n");
        }
        if (report.Validation.Count > 0) AppendValidation(html, report);

        var pictures = files.Where(f => Path.GetFileName(f).StartsWith("matches_", StringComparison.Ordinal)).ToList();
        if (pictures.Count > 0)
        {
            html.Append($"""
                <h2>Matches</h2><p class="legend"><span class="ok">&#9632; within {MetricThresholds.CorrectPx.ToString(CultureInfo.InvariantCulture)} px of the ground truth</span>
                <span class="bad">&#9632; beyond</span> <span class="unjudged">&#9632; no ground truth to judge</span></p>
                <div class="matches">
                """);
            foreach (var picture in pictures)
                html.Append($"<figure><img alt=\"{E(Path.GetFileNameWithoutExtension(picture))}\" src=\"data:image/jpeg;base64,{Jpeg(picture)}\"></figure>");
            html.Append("</div>\n");
        }

        html.Append("<h2>Made by</h2><table class=\"versions\">");
        foreach (var (name, version) in versions) html.Append($"<tr><th>{E(name)}</th><td>{E(version)}</td></tr>");
        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }

    private static void AppendResults(StringBuilder html, IReadOnlyList<ModelEvaluation> models)
    {
        var rows = models.Select(m => (m.Model, Dataset: EvaluationJson.DatasetLabel(m), m.Summary)).ToList();
        html.Append("<h2>Results</h2>");
        AppendTable(html, rows);
        // Every model on every dataset: a summary over several datasets can hide a model that fails on one of them.
        if (models.Any(m => m.Pairs.Select(p => p.Pair.Dataset).Distinct().Count() > 1))
        {
            html.Append("<h3>Per dataset</h3>");
            AppendTable(html, [.. models.SelectMany(m => m.Pairs.GroupBy(p => p.Pair.Dataset)
                .Select(g => (m.Model, Dataset: g.Key, Summary: EvaluationSummary.Aggregate([.. g]))))]);
        }
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<(string Model, string Dataset, EvaluationSummary Summary)> rows)
    {
        var columns = new List<(string Header, Func<EvaluationSummary, double?> Value, bool HigherIsBetter, string Format)>
        {
            ("pairs", s => s.Pairs, true, "F0"),
        };
        AddCurve(columns, rows, "MMA", s => s.Mma, MetricThresholds.Pixels, "px");
        AddCurve(columns, rows, "Epi", s => s.Epipolar, MetricThresholds.Pixels, "px");
        AddCurve(columns, rows, "AUC", s => s.Auc, MetricThresholds.Degrees, "°");
        columns.Add(("matches/pair", s => s.MatchesPerPair, true, "F0"));
        columns.Add(("s/pair", s => s.SecondsPerPair, false, "F3"));

        html.Append("<table class=\"results\"><thead><tr><th>model</th><th>dataset</th>");
        foreach (var c in columns) html.Append($"<th>{E(c.Header)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append($"<tr><th>{E(row.Model)}</th><td class=\"text\">{E(row.Dataset)}</td>");
            foreach (var c in columns)
            {
                double? value = c.Value(row.Summary);
                var all = rows.Select(r => c.Value(r.Summary)).OfType<double>().ToList();
                bool best = value is { } v && c.Header != "pairs" && all.Count > 1 && v == (c.HigherIsBetter ? all.Max() : all.Min());
                string text = value is { } x ? x.ToString(c.Format, CultureInfo.InvariantCulture) : "&ndash;";
                html.Append(best ? $"<td class=\"best\">{text}</td>" : $"<td>{text}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table>\n");
    }

    private static void AddCurve(List<(string, Func<EvaluationSummary, double?>, bool, string)> columns,
        IReadOnlyList<(string Model, string Dataset, EvaluationSummary Summary)> rows, string metric, Func<EvaluationSummary, double[]?> curve,
        IReadOnlyList<double> thresholds, string unit)
    {
        // A metric no row has (no poses, no homographies) gets no columns rather than a column of dashes.
        if (!rows.Any(r => curve(r.Summary) is not null)) return;
        for (int i = 0; i < thresholds.Count; i++)
        {
            int t = i;
            columns.Add(($"{metric}@{thresholds[t].ToString(CultureInfo.InvariantCulture)}{unit}", s => curve(s)?[t], true, "F3"));
        }
    }

    private static void AppendValidation(StringBuilder html, HtmlReport report)
    {
        html.Append($"<h3>Validation ({E(report.ValidationMetric)})</h3><table class=\"results\"><thead><tr><th>step</th><th>{E(report.ValidationMetric)}</th></tr></thead><tbody>");
        foreach (var (step, value) in report.Validation)
            html.Append(string.Create(CultureInfo.InvariantCulture, $"<tr><td>{step}</td><td>{value:F4}</td></tr>"));
        html.Append("</tbody></table>\n");
    }

    private static string Jpeg(string path)
    {
        using var image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty()) throw new IOException($"could not read {path}");
        using var scaled = image.Cols <= PictureMaxWidth ? image.Clone()
            : image.Resize(new Size(PictureMaxWidth, (int)Math.Round(image.Rows * (double)PictureMaxWidth / image.Cols)), 0, 0, InterpolationFlags.Area);
        return Convert.ToBase64String(scaled.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, PictureJpegQuality)));
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;max-width:1320px;padding:0 16px;color:#1d2330;background:#fff}
        h1{font-size:1.6em;margin-bottom:4px}h2{margin-top:28px;border-bottom:1px solid #d8dde6;padding-bottom:4px}
        .meta{color:#5a6372;font-size:.9em}.meta code{background:#f2f4f8;padding:2px 6px;border-radius:4px;word-break:break-all}
        .notes li{margin:2px 0}
        table{border-collapse:collapse;margin:8px 0;font-size:.88em}
        th,td{border:1px solid #d8dde6;padding:4px 8px;text-align:right;font-variant-numeric:tabular-nums}
        thead th{background:#eef1f6}tbody th,td.text{text-align:left}tbody tr:nth-child(even){background:#f8f9fb}
        td.best{font-weight:700;color:#0b5d1e}
        .plots{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}.plots img{width:560px;max-width:100%;border:1px solid #d8dde6}
        .matches{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:10px}.matches img{width:100%;border:1px solid #d8dde6}
        .legend span{margin-right:16px}.ok{color:#00a000}.bad{color:#d00000}.unjudged{color:#c8a000}
        .versions th{text-align:left;background:#eef1f6}.versions td{text-align:left}
        """;
}
