using System.CommandLine;
using System.Globalization;
using IMatching.Cli.Demo;
using IMatching.Cli.Reports;
using IMatching.Geometry;
using IMatching.Learning.Matching;
using IMatching.Learning.Objectives;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching demo</c>: pretrain on one rendered domain, adapt by imperative learning on another, compare before/after with SIFT.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var defaults = new DemoPlan();
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for checkpoints, the report and logs.", DefaultValueFactory = _ => new DirectoryInfo("imatching-demo") };
        var start = new Option<string?>("--start") { Description = $"Starting model (default {defaults.Model} with the official weights shipped with IMatching), e.g. ckpt:DIR or alike-n+exp." };
        var pretrain = new Option<bool>("--pretrain") { Description = "Make the starting model from random weights by homography pretraining on --source-domain instead." };
        var source = new Option<string>("--source-domain") { Description = "Domain the starting model is pretrained on (with --pretrain).", DefaultValueFactory = _ => defaults.SourceDomain };
        var target = new Option<string>("--target-domain") { Description = "Domain it is adapted to and evaluated on.", DefaultValueFactory = _ => defaults.TargetDomain };
        var steps = new Option<int>("--steps") { Description = "Imperative-learning steps.", DefaultValueFactory = _ => defaults.AdaptSteps };
        var pretrainSteps = new Option<int>("--pretrain-steps") { Description = "Homography pretraining steps (with --pretrain).", DefaultValueFactory = _ => defaults.PretrainSteps };
        var queries = new Option<string>("--queries") { Description = "Query points: alike-frozen:N (frozen official ALIKE), alike:N, sift:N, grid:S ...", DefaultValueFactory = _ => defaults.Queries };
        var objective = new Option<string>("--objective") { Description = $"What imperative learning minimises: {string.Join(", ", ImperativeObjectives.Names)}.", DefaultValueFactory = _ => ImperativeObjectives.Name(defaults.Method.Objective) };
        var windowCentre = WindowCentreOption.Create();
        windowCentre.Description = $"Where the expectation head centres the fine window: {string.Join(" or ", WindowCentres.Names)} (default {WindowCentres.Name(defaults.WindowCentre)}).";
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var json = new Option<FileInfo?>("--json") { Description = "Write every row in the evaluation JSON format, each with \"stage\": reference (SIFT), before, control, batchnorm, after." };
        var command = new Command("demo", "The main job on embedded data: render a domain, adapt official ALIKE to it by imperative learning, evaluate before and after beside SIFT, the 0-step control and the batch-norm-only baseline.")
        {
            output, start, pretrain, source, target, steps, pretrainSteps, queries, objective, windowCentre, device, json,
        };
        command.SetAction(parse =>
        {
            var plan = defaults with
            {
                SourceDomain = parse.GetValue(source)!,
                TargetDomain = parse.GetValue(target)!,
                AdaptSteps = OptionValues.AtLeast(parse.GetValue(steps), 1, "--steps"),
                PretrainSteps = OptionValues.AtLeast(parse.GetValue(pretrainSteps), 0, "--pretrain-steps"),
                PretrainFromScratch = parse.GetValue(pretrain),
                Queries = parse.GetValue(queries)!,
                WindowCentre = WindowCentreOption.Parse(parse.GetValue(windowCentre)) ?? defaults.WindowCentre,
                Method = defaults.Method with
                {
                    Objective = ImperativeObjectives.Parse(parse.GetValue(objective)!)
                        ?? throw new UserInputException($"--objective '{parse.GetValue(objective)}'", $"unknown (known: {string.Join(", ", ImperativeObjectives.Names)})"),
                },
            };
            return Run(plan, parse.GetValue(output)!, parse.GetValue(start), parse.GetValue(device)!, parse.GetValue(json), ReportCommandLine.Of(parse));
        });
        return command;
    }

    private static int Run(DemoPlan plan, DirectoryInfo output, string? start, string device, FileInfo? json, string commandLine)
    {
        OutputPaths.RequireWritableFile(json, "--json");
        OutputPaths.RequireWritableFolder(output, "--out");
        var console = AnsiConsole.Console;
        var run = new DemoRun(plan, output.FullName, device, console) { Pretrain = DemoPretraining.Run, CommandLine = commandLine };
        var result = run.Execute(start);

        console.Write(DemoTable.Build(result));
        foreach (var line in DemoTable.Gains(result)) console.MarkupLine(Markup.Escape(line));
        var skipped = result.Adaptation.Skipped.Count == 0 ? "none" : string.Join(", ", result.Adaptation.Skipped.Select(s => $"{s.Key} {s.Value}"));
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"adaptation: {result.Adaptation.Updates} updates, skipped clips: {skipped}; demo took {result.Seconds / 60:F1} min")));
        if (json is not null)
            EvaluationJson.Write(json.FullName, result.Rows, result.StageOf);
        return 0;
    }
}
