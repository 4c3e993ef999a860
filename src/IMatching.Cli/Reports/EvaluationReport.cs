using System.Globalization;
using System.Text.RegularExpressions;
using IMatching.Vision.Evaluation;

namespace IMatching.Cli.Reports;

/// <summary>
/// The <c>--report DIR</c> folder: <c>mma.png</c>, <c>epipolar.png</c> and <c>auc.png</c> for the metrics some model
/// has, and match pictures of the first, middle and last pair per model.
/// </summary>
public static partial class EvaluationReport
{
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<ModelEvaluation> models)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var mma = models.Where(m => m.Summary.Mma is not null).Select(m => (m.Model, m.Summary.Mma!)).ToList();
        if (mma.Count > 0)
            ThresholdCurvePlot.Save(Add(written, folder, "mma.png"), "Mean matching accuracy", "MMA", MetricThresholds.Pixels, mma);
        var epipolar = models.Where(m => m.Summary.Epipolar is not null).Select(m => (m.Model, m.Summary.Epipolar!)).ToList();
        if (epipolar.Count > 0)
            ThresholdCurvePlot.Save(Add(written, folder, "epipolar.png"), "Epipolar precision", "fraction of matches", MetricThresholds.Pixels, epipolar);
        var auc = models.Where(m => m.Summary.Auc is not null).Select(m => (m.Model, m.Summary.Auc!)).ToList();
        if (auc.Count > 0) AucBarPlot.Save(Add(written, folder, "auc.png"), MetricThresholds.Degrees, auc);

        foreach (var model in models)
            foreach (var pair in Showcase(model.Pairs))
                MatchPicture.Save(Add(written, folder, $"matches_{Safe(model.Model)}_{Safe(pair.Pair.Dataset)}_{pair.Pair.Label}.png"), pair, Caption(model.Model, pair));
        return written;
    }

    private static IEnumerable<PairResult> Showcase(IReadOnlyList<PairResult> pairs) =>
        new[] { 0, pairs.Count / 2, pairs.Count - 1 }.Where(i => i >= 0).Distinct().Select(i => pairs[i]);

    private static string Caption(string model, PairResult pair)
    {
        var errors = pair.Metrics.MatchErrorsPx;
        string judged = errors is null ? "no ground truth" : string.Create(CultureInfo.InvariantCulture,
            $"{errors.Count(e => e <= MetricThresholds.CorrectPx)}/{errors.Count(e => !double.IsNaN(e))} within {MetricThresholds.CorrectPx} px{(pair.Metrics.ReferenceErrorsPx is null ? " of the epipolar line" : "")}");
        return $"{model}  {pair.Pair.Dataset} {pair.Pair.Label}: {pair.Matches.Count} matches, {judged}";
    }

    private static string Add(List<string> written, string folder, string name)
    {
        string path = Path.Combine(folder, name);
        written.Add(path);
        return path;
    }

    /// <summary>Model specs can hold weight paths: keep file names to letters, digits, '-', '_' and '.'.</summary>
    private static string Safe(string text) => UnsafeFileNameCharacters().Replace(text, "-");

    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeFileNameCharacters();
}
