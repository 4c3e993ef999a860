using System.CommandLine;
using System.Globalization;
using IMatching.Cli.Reports;
using IMatching.Learning.Models;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching eval</c>: scores matchers side by side on image pairs with ground-truth geometry.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var data = new Option<string[]>("--data")
        {
            Description = "Data: homography:PATH (Oxford/HPatches), or a sequence (tum:PATH, kitti:PATH#0-20, ...). Repeat for several; MMA is averaged per dataset.",
            Required = true,
        };
        var models = new Option<string[]>("--model") { Description = "Model spec NAME[:WEIGHTS], e.g. sift, orb, caps:PATH.pth. Repeat to compare.", Required = true };
        var gaps = new Option<string>("--gaps") { Description = "Frame gaps of sequence pairs.", DefaultValueFactory = _ => string.Join(",", EvaluationPairs.DefaultGaps) };
        var json = new Option<FileInfo?>("--json") { Description = "Write every pair's and each model's aggregate scores here (JSON)." };
        var csv = new Option<FileInfo?>("--csv") { Description = "Write the aggregate table here (CSV)." };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Write index.html (tables, plots, match pictures; opens offline) with the plots and pictures as PNGs into this folder." };
        var device = new Option<string>("--device") { Description = "Device for learned models: cpu, cuda, cuda:N, auto.", DefaultValueFactory = _ => "cpu" };
        var features = new Option<int>("--max-features") { Description = "Features per image (classical) or query points (learned).", DefaultValueFactory = _ => new MatcherContext().MaxFeatures };
        var queries = new Option<string?>("--queries") { Description = "Query points of learned heads: alike:N, sift:N, orb:N, fast:N or grid:S (default: the model's own)." };
        var command = new Command("eval", "Evaluate matchers: MMA (homography or depth reprojection), epipolar precision and relative pose AUC, side by side.")
        {
            data, models, gaps, json, csv, report, device, features, queries,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(parse.GetValue(data)!, parse.GetValue(models)!, parse.GetValue(gaps)!, parse.GetValue(json), parse.GetValue(csv),
                    parse.GetValue(report), ReportCommandLine.Of(parse), new MatcherContext { Device = parse.GetValue(device)!, MaxFeatures = parse.GetValue(features), Queries = parse.GetValue(queries) });
            }
            catch (Exception e) when (e is DatasetException or FileNotFoundException or DirectoryNotFoundException or FormatException
                or ArgumentException or IOException or UnauthorizedAccessException)
            {
                return CliError.Report(e.Message);
            }
        });
        return command;
    }

    private static int Run(string[] dataSpecs, string[] modelSpecs, string gapList, FileInfo? json, FileInfo? csv, DirectoryInfo? report, string commandLine, MatcherContext context)
    {
        if (context.MaxFeatures < 1) return CliError.Report("--max-features must be at least 1.");
        int[] frameGaps = ParseGaps(gapList);
        // Output folders are checked up front: finding a typo after minutes of matching would lose the results.
        foreach (var (option, file) in new[] { ("--json", json), ("--csv", csv) })
            if (file?.Directory is { Exists: false } folder) return CliError.Report($"{option} {file.FullName}: folder {folder.FullName} does not exist.");
        // Models first: a misspelt name should fail before minutes of data loading.
        var matchers = modelSpecs.Select(spec => (Spec: spec, Matcher: MatcherFactory.Create(ModelSpec.Parse(spec), context))).ToList();
        var pairs = dataSpecs.SelectMany(spec => Pairs(spec, frameGaps)).ToList();

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // Redirected output has no terminal width; Spectre's 80 columns would wrap every number of the table.
        if (Console.IsOutputRedirected) console.Profile.Width = 200;
        var results = new List<ModelEvaluation>();
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = matchers.Select(m => ctx.AddTask($"{Markup.Escape(m.Spec)}: {pairs.Count} pairs", autoStart: false, maxValue: pairs.Count)).ToList();
                for (int i = 0; i < matchers.Count; i++)
                {
                    tasks[i].StartTask();
                    results.Add(new ModelEvaluation(matchers[i].Spec, MatcherEvaluation.Run(matchers[i].Matcher, pairs, new ProgressTaskReporter(tasks[i]))));
                    tasks[i].StopTask();
                }
            });

        console.Write(EvaluationTable.Build(results));
        if (json is not null) EvaluationJson.Write(json.FullName, results);
        if (csv is not null) EvaluationCsv.Write(csv.FullName, results);
        if (report is not null)
            console.WriteLine($"report: {new HtmlReport { Title = "imatching eval", CommandLine = commandLine, Models = results }.Write(report.FullName).Count} files in {report.FullName}, open index.html");
        return 0;
    }

    private static IReadOnlyList<EvaluationPair> Pairs(string spec, int[] gaps)
    {
        var pairs = EvaluationPairs.FromSpec(DataSpec.Parse(spec), gaps);
        return pairs.Count > 0 ? pairs : throw new DatasetException($"{spec}: no pairs (the sequence is shorter than every gap in --gaps {string.Join(",", gaps)})");
    }

    private static int[] ParseGaps(string gapList) =>
        [.. gapList.Split(',').Select(g => int.TryParse(g, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v : throw new FormatException($"--gaps '{gapList}': '{g}' is not a positive frame count."))];
}
