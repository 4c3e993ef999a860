using IMatching.Vision.Evaluation;

namespace IMatching.Cli.Reports;

/// <summary>
/// What <c>DIR/index.html</c> shows: the evaluated models, the training curves if a run trained, and how the page
/// was made. <see cref="Write"/> draws the plots and match pictures into the folder (as <c>eval --report</c> always
/// did), then embeds them in one self-contained page that opens offline.
/// </summary>
public sealed record HtmlReport
{
    public required string Title { get; init; }
    /// <summary>The command that made the report, e.g. from <see cref="ReportCommandLine.Of"/>.</summary>
    public required string CommandLine { get; init; }
    public IReadOnlyList<ModelEvaluation> Models { get; init; } = [];
    /// <summary>Lines shown under the title: training summaries, before/after gains.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<(int Step, double Loss)> Losses { get; init; } = [];
    public string LossTitle { get; init; } = "Training loss";
    public IReadOnlyList<(int Step, double Value)> Validation { get; init; } = [];
    public string ValidationMetric { get; init; } = "validation metric";

    /// <summary>Writes the plots, the match pictures and <c>index.html</c> into <paramref name="folder"/>; returns every file written.</summary>
    public IReadOnlyList<string> Write(string folder)
    {
        var written = new List<string>(EvaluationReport.Write(folder, Models));
        if (Losses.Count > 0)
        {
            string path = Path.Combine(folder, "loss.png");
            LossCurvePlot.Save(path, LossTitle, Losses);
            written.Add(path);
        }
        if (Validation.Count > 0)
        {
            string path = Path.Combine(folder, "validation.png");
            ValidationCurvePlot.Save(path, ValidationMetric, Validation);
            written.Add(path);
        }
        string index = Path.Combine(folder, "index.html");
        File.WriteAllText(index, HtmlReportPage.Render(this, written, ReportVersions.Collect()));
        written.Add(index);
        return written;
    }
}
