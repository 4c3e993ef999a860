using System.CommandLine;
using IMatching.Cli.Reports;
using IMatching.Geometry;
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
        var queries = new Option<string?>("--queries") { Description = "Query points of learned heads: alike-frozen:N (official ALIKE, frozen), alike:N (the model's own detector), sift:N, orb:N, fast:N or grid:S (default: the model's own)." };
        var windowCentre = WindowCentreOption.Create();
        var command = new Command("eval", "Evaluate matchers: MMA (homography or depth reprojection), epipolar precision and relative pose AUC, side by side.")
        {
            data, models, gaps, json, csv, report, device, features, queries, windowCentre,
        };
        command.SetAction(parse => Run(parse.GetValue(data)!, parse.GetValue(models)!, parse.GetValue(gaps)!, parse.GetValue(json), parse.GetValue(csv),
            parse.GetValue(report), ReportCommandLine.Of(parse), new MatcherContext
            {
                Device = parse.GetValue(device)!, MaxFeatures = parse.GetValue(features), Queries = parse.GetValue(queries),
                WindowCentre = WindowCentreOption.Parse(parse.GetValue(windowCentre)),
            }));
        return command;
    }

    private static int Run(string[] dataSpecs, string[] modelSpecs, string gapList, FileInfo? json, FileInfo? csv, DirectoryInfo? report, string commandLine, MatcherContext context)
    {
        OptionValues.AtLeast(context.MaxFeatures, 1, "--max-features");
        int[] frameGaps = OptionValues.FrameGaps(gapList);
        // Outputs are checked up front: finding a typo after minutes of matching would lose the results.
        OutputPaths.RequireWritableFile(json, "--json");
        OutputPaths.RequireWritableFile(csv, "--csv");
        OutputPaths.RequireWritableFolder(report, "--report");
        // Models first: a misspelt name should fail before minutes of data loading.
        var matchers = modelSpecs.Select(spec => (Spec: spec, Matcher: MatcherFactory.Create(ModelSpec.Parse(spec), context))).ToList();
        var pairs = dataSpecs.SelectMany(spec => Pairs(spec, frameGaps)).ToList();

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // Redirected output has no terminal width; Spectre's 80 columns would wrap every number of the table.
        if (Console.IsOutputRedirected) console.Profile.Width = 200;
        var results = new List<ModelEvaluation>();
        var failures = new List<(string Model, PairFailure Failure)>();
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = matchers.Select(m => ctx.AddTask($"{Markup.Escape(m.Spec)}: {pairs.Count} pairs", autoStart: false, maxValue: pairs.Count)).ToList();
                for (int i = 0; i < matchers.Count; i++)
                {
                    var (spec, matcher) = matchers[i];
                    var done = new List<PairResult>();
                    tasks[i].StartTask();
                    // Each pair's result is saved as it comes, so a failure late in a long run keeps everything before it.
                    var scored = MatcherEvaluation.RunIsolated(matcher, pairs,
                        onResult: result =>
                        {
                            done.Add(result);
                            Save(json, csv, [.. results, new ModelEvaluation(spec, done)], failures);
                        },
                        onFailure: failure =>
                        {
                            failures.Add((spec, failure));
                            Console.Error.WriteLine($"warning: {spec} on {failure.Pair.Dataset} pair {failure.Pair.Label} failed and is left out: "
                                + $"{failure.Error.GetType().Name}: {failure.Error.Message}");
                        },
                        new ProgressTaskReporter(tasks[i]));
                    results.Add(new ModelEvaluation(spec, scored));
                    tasks[i].StopTask();
                }
            });

        console.Write(EvaluationTable.Build(results));
        if (failures.Count > 0)
            console.WriteLine($"{failures.Count} pair(s) failed and are left out of the scores (see the warnings; listed under \"failures\" in --json)");
        Save(json, csv, results, failures);
        if (report is not null)
            console.WriteLine($"report: {new HtmlReport { Title = "imatching eval", CommandLine = commandLine, Models = results }.Write(report.FullName).Count} files in {report.FullName}, open index.html");
        // Scripts must not take partial scores for whole ones: the outputs are written, the exit code says they are partial.
        return failures.Count > 0 ? CliError.PartialResults : 0;
    }

    private static void Save(FileInfo? json, FileInfo? csv, IReadOnlyList<ModelEvaluation> results, IReadOnlyList<(string Model, PairFailure Failure)> failures)
    {
        if (json is not null) EvaluationJson.Write(json.FullName, results, failures: failures);
        if (csv is not null) EvaluationCsv.Write(csv.FullName, results);
    }

    private static IReadOnlyList<EvaluationPair> Pairs(string spec, int[] gaps)
    {
        var pairs = EvaluationPairs.FromSpec(DataSpec.Parse(spec), gaps);
        return pairs.Count > 0 ? pairs : throw new UserInputException($"--data {spec}", $"no pairs: the sequence is shorter than every gap in --gaps {string.Join(",", gaps)}");
    }
}
