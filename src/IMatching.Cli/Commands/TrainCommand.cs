using System.CommandLine;
using System.Globalization;
using IMatching.Learning.Backbones;
using IMatching.Cli.Reports;
using IMatching.Geometry;
using IMatching.Learning.Adaptation;
using IMatching.Learning.Objectives;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Models;
using IMatching.Learning.Training;
using IMatching.Learning.Validation;
using IMatching.Vision.Datasets;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching train</c>: imperative learning of a differentiable matcher on an unlabelled sequence.</summary>
public static class TrainCommand
{
    public const string Name = "train";

    public static Command Create()
    {
        var shared = new TrainingCommandOptions(new TrainingOptions(), new MatcherContext { MaxFeatures = 500 },
            "Training sequence (no labels used), e.g. tum:PATH#0-11, synthetic:underwater?frames=60.",
            "Differentiable model: alike-n+exp:WEIGHTS.pth, alike-n+reg:WEIGHTS.pth, caps:WEIGHTS.pth or ckpt:RUN_DIR.", defaultModel: null, defaultOutput: null,
            "Held-out data scored every --validate-every steps; the best checkpoint is kept in best/.",
            "Query points: alike-frozen:N (official ALIKE, frozen), alike:N (the model's own detector), sift:N, orb:N, fast:N or grid:S (default: the model's own).");
        var defaults = new TrainerOptions();
        var clipLength = new Option<int>("--clip-length") { Description = "Frames per clip; pairs are (k-2, k) and (k-1, k).", DefaultValueFactory = _ => defaults.ClipLength };
        var spacing = new Option<int>("--frame-spacing") { Description = "Frames skipped between clip frames, plus one.", DefaultValueFactory = _ => defaults.FrameSpacing };
        var coarseWeight = new Option<double>("--coarse-weight") { Description = "Weight of the coarse-level loss against the fine one.", DefaultValueFactory = _ => defaults.CoarseWeight };
        var trainBatchNorm = new Option<bool>("--train-batchnorm") { Description = "Update batch-norm statistics from the clips (by default they stay frozen)." };
        var objective = new Option<string>("--objective") { Description = $"What the upper level minimises: {string.Join(", ", ImperativeObjectives.Names)}.", DefaultValueFactory = _ => ImperativeObjectives.Name(defaults.Objective) };
        var batchNormOnly = new Option<bool>("--adapt-batchnorm-only")
        {
            Description = "The statistics-only baseline: re-estimate batch-norm statistics on the --data frames, take no gradient step, save as step 0.",
        };
        var command = new Command(Name, "Imperative learning: the matcher's predictions over clips are bundle-adjusted, and BA's reprojection cost of its own predictions trains it.");
        shared.AddTo(command);
        foreach (Option option in new Option[] { clipLength, spacing, coarseWeight, trainBatchNorm, objective, batchNormOnly }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            bool fileBatchNormOnly = false;
            var configuration = shared.Resolve(parse, Name, defaults, (file, baseline) =>
            {
                fileBatchNormOnly = file is { AdaptBatchNormOnly: true };
                return baseline with
                {
                    ClipLength = TrainingCommandOptions.Pick(parse, clipLength, file is not null, baseline.ClipLength),
                    FrameSpacing = TrainingCommandOptions.Pick(parse, spacing, file is not null, baseline.FrameSpacing),
                    CoarseWeight = TrainingCommandOptions.Pick(parse, coarseWeight, file is not null, baseline.CoarseWeight),
                    FreezeBatchNorm = !TrainingCommandOptions.Pick(parse, trainBatchNorm, file is not null, !baseline.FreezeBatchNorm),
                    Objective = ParseObjective(TrainingCommandOptions.Pick(parse, objective, file is not null, ImperativeObjectives.Name(baseline.Objective))),
                };
            });
            // Recorded in config.json, so --config repeats a statistics-only run as one.
            configuration = configuration with { AdaptBatchNormOnly = parse.GetValue(batchNormOnly) || fileBatchNormOnly };
            var method = configuration.Method;
            OptionValues.AtLeast(method.ClipLength, 2, "--clip-length");
            OptionValues.AtLeast(method.FrameSpacing, 1, "--frame-spacing");
            if (!(method.CoarseWeight >= 0)) throw new UserInputException($"--coarse-weight {method.CoarseWeight}", "must not be negative");
            var mode = shared.Mode(parse);
            TrainingCommandOptions.ApplyThreads(configuration);
            return Run(configuration, mode, ReportCommandLine.Of(parse));
        });
        return command;
    }

    private static ImperativeObjectiveKind ParseObjective(string name) => ImperativeObjectives.Parse(name)
        ?? throw new UserInputException($"--objective '{name}'", $"unknown (known: {string.Join(", ", ImperativeObjectives.Names)})");

    private static int Run(RunConfiguration<TrainerOptions> configuration, RunMode mode, string commandLine)
    {
        var data = DataSpec.Parse(configuration.Data);
        var spec = ModelSpec.Parse(configuration.Model);
        var training = configuration.Training;
        bool batchNormOnly = configuration.AdaptBatchNormOnly;
        // The folder is checked before any costly work (rendering, loading a network).
        var start = new RunFolder(configuration.Output).Start(mode, TrainingCommandOptions.Notice);
        configuration.Write(start.Folder.ConfigFile);
        var sequence = data.OpenSequence();
        // A run records the architecture it trains, so that resuming and ckpt: specs rebuild the same network.
        string architecture = LearnedModels.Architecture(spec);
        var trainer = new Trainer(sequence, configuration.Method);
        // Seeded before the network is built, so a randomly initialised head is the same for the same --seed.
        TorchSharp.torch.random.manual_seed(training.Seed);
        using var matcher = LearnedModels.CreateDifferentiable(spec, configuration.Context);
        if (batchNormOnly)
        {
            int layers = BatchNormAdaptation.Run(matcher, sequence.Frames);
            Console.WriteLine($"batch-norm statistics of {layers} layers re-estimated on {sequence.Count} frames; no gradient step");
            training = training with { Steps = 0 };
        }
        var validation = configuration.Validation is { } validationSpec ? MatcherValidation.FromSpec(validationSpec, [1, 3]) : null;
        var loop = new TrainingLoop(matcher, architecture, training)
        {
            Validation = validation is null ? null : new Validator("metric", validation.Score),
            Notice = TrainingCommandOptions.Notice,
        };
        Console.WriteLine($"training {architecture} on {sequence.Name} ({sequence.Count} frames), {training.Steps} steps into {start.Folder.Path}"
            + (validation is null ? "" : $"; validating on {validation.Pairs} pairs of {configuration.Validation}"));

        TrainingSummary summary = null!;
        var curves = new TrainingCurves();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: training.Steps);
                var progress = new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    curves.Add(p);
                    string loss = p.Loss is { } l ? l.ToString("E3", CultureInfo.InvariantCulture) : $"skipped ({p.LastSkip})";
                    string val = p.ValidationMetric is { } v ? $", val {v.ToString("F4", CultureInfo.InvariantCulture)}" : "";
                    task.Description = $"step {p.Step}/{p.TotalSteps} loss {loss}, {p.Value(Trainer.Observations) ?? 0} obs{val}";
                });
                summary = loop.Run(trainer, start, progress);
            });

        var c = CultureInfo.InvariantCulture;
        if (training.Steps == 0)
        {
            Console.WriteLine(batchNormOnly
                ? "0 steps: the re-estimated model is saved as step 0 (the statistics-only baseline)"
                : "0 steps: the starting model is saved as step 0 (the control to evaluate beside adapted models)");
        }
        else
        {
            Console.WriteLine(string.Create(c, $"steps {summary.FirstStep}-{summary.LastStep}: {summary.Updates} updates in {summary.Seconds:F1} s, last loss {summary.LastLoss:E3}"));
            Console.WriteLine(summary.Skipped.Count == 0 ? "no clip skipped" : "skipped clips: " + string.Join(", ", summary.Skipped.Select(s => $"{s.Key} {s.Value}")));
        }
        if (summary.BestMetric is { } best) Console.WriteLine(string.Create(c, $"best {validation!.MetricName} {best:F4} at step {summary.BestStep} (best/)"));
        if (summary.LastCheckpoint is { } last) Console.WriteLine($"last checkpoint {last}; load with --model ckpt:{start.Folder.Path}");
        if (validation is not null)
        {
            string folder = Path.Combine(start.Folder.Path, "report");
            new HtmlReport
            {
                Title = $"imatching train: {architecture} on {sequence.Name}", CommandLine = commandLine,
                Losses = curves.Losses, Validation = curves.Validation, ValidationMetric = validation.MetricName,
            }.Write(folder);
            Console.WriteLine($"report: {Path.Combine(folder, "index.html")}");
        }
        return 0;
    }
}
