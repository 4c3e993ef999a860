using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IMatching.Geometry;
using IMatching.Vision.Evaluation;

namespace IMatching.Cli.Reports;

/// <summary>
/// <c>{"results": [...], "failures": [...]}</c>: one object per model and pair, then one aggregate per model with
/// <c>"pair": null</c>; each failure names the model, dataset and pair a matcher could not be scored on, and the error.
/// Curves are keyed by threshold ("1" ... "10" px, "5" ... "20" deg) and null where the data lacks the geometry; an
/// aggregate's <c>matches</c> and <c>seconds_per_pair</c> are means per pair and its <c>pose_error_deg</c> is null.
/// </summary>
public static class EvaluationJson
{
    /// <param name="stageOf">When given, every row of a model also gets <c>"stage"</c> (the demo's "before" / "after").</param>
    /// <param name="failures">Pairs left out of the results because matching them failed, with the model that failed.</param>
    public static void Write(string path, IReadOnlyList<ModelEvaluation> models, Func<ModelEvaluation, string>? stageOf = null,
        IReadOnlyList<(string Model, PairFailure Failure)>? failures = null)
    {
        var results = new List<Dictionary<string, object?>>();
        foreach (var model in models)
        {
            var rows = model.Pairs.Select(r => Entry(model.Model, r.Pair.Dataset, r.Pair.Label, r.Metrics.Mma, r.Metrics.Epipolar, r.Metrics.Auc,
                r.Matches.Count, r.Seconds, r.Metrics.PoseErrorDegrees)).ToList();
            var s = model.Summary;
            rows.Add(Entry(model.Model, DatasetLabel(model), null, s.Mma, s.Epipolar, s.Auc, s.MatchesPerPair, s.SecondsPerPair, null));
            if (stageOf is not null) foreach (var row in rows) row["stage"] = stageOf(model);
            results.AddRange(rows);
        }
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var failed = (failures ?? []).Select(f => new Dictionary<string, object?>
        {
            ["model"] = f.Model,
            ["dataset"] = f.Failure.Pair.Dataset,
            ["pair"] = f.Failure.Pair.Label,
            ["error"] = $"{f.Failure.Error.GetType().Name}: {f.Failure.Error.Message}",
        }).ToList();
        string text = JsonSerializer.Serialize(new Dictionary<string, object> { ["results"] = results, ["failures"] = failed }, options);
        // Rewritten after every pair by eval: a kill mid-write keeps the previous whole file.
        AtomicFile.WriteText(path, writer => writer.Write(text));
    }

    /// <summary>The datasets a model was scored on, joined with '+' when there are several.</summary>
    public static string DatasetLabel(ModelEvaluation model) => string.Join("+", model.Pairs.Select(p => p.Pair.Dataset).Distinct());

    private static Dictionary<string, object?> Entry(string model, string dataset, string? pair, double[]? mma, double[]? epipolar, double[]? auc,
        double matches, double seconds, double? poseErrorDegrees) => new()
    {
        ["model"] = model,
        ["dataset"] = dataset,
        ["pair"] = pair,
        ["mma"] = Curve(mma, MetricThresholds.Pixels),
        ["epipolar"] = Curve(epipolar, MetricThresholds.Pixels),
        ["auc"] = Curve(auc, MetricThresholds.Degrees),
        ["matches"] = matches,
        ["seconds_per_pair"] = seconds,
        ["pose_error_deg"] = poseErrorDegrees,
    };

    private static Dictionary<string, double>? Curve(double[]? values, IReadOnlyList<double> thresholds) =>
        values?.Select((v, i) => (Key: thresholds[i].ToString(CultureInfo.InvariantCulture), Value: v)).ToDictionary(e => e.Key, e => e.Value);
}
