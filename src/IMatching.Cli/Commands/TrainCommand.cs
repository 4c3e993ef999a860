using System.CommandLine;
using System.Globalization;
using IMatching.Learning.Models;
using IMatching.Learning.Training;
using IMatching.Learning.Validation;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching train</c>: imperative learning of a differentiable matcher on an unlabelled sequence.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training sequence (no labels used), e.g. tum:PATH#0-11, synthetic:underwater?frames=60.", Required = true };
        var model = new Option<string>("--model") { Description = "Differentiable model: alike-n+exp:WEIGHTS.pth, alike-n+reg:WEIGHTS.pth, caps:WEIGHTS.pth or ckpt:RUN_DIR.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder: checkpoints/, best/, latest, tensorboard/.", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps in all (a resumed run continues up to this).", DefaultValueFactory = _ => 200 };
        var clipLength = new Option<int>("--clip-length") { Description = "Frames per clip; pairs are (k-2, k) and (k-1, k).", DefaultValueFactory = _ => 5 };
        var spacing = new Option<int>("--frame-spacing") { Description = "Frames skipped between clip frames, plus one.", DefaultValueFactory = _ => 1 };
        var validation = new Option<string?>("--val") { Description = "Held-out data scored every --validate-every steps; the best checkpoint is kept in best/." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's latest checkpoint." };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => 1e-4 };
        var accumulate = new Option<int>("--accumulate") { Description = "Clips per optimiser step (gradient accumulation).", DefaultValueFactory = _ => 1 };
        var clipGradient = new Option<double>("--clip-grad") { Description = "Largest gradient norm; 0 turns clipping off.", DefaultValueFactory = _ => 1.0 };
        var queries = new Option<string?>("--queries") { Description = "Query points: alike:N, sift:N, orb:N, fast:N or grid:S (default: the model's own)." };
        var maxQueries = new Option<int>("--max-queries") { Description = "Query points per frame for the model's own queries.", DefaultValueFactory = _ => 500 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 50 };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations.", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of the clip order.", DefaultValueFactory = _ => 0 };
        var coarseWeight = new Option<double>("--coarse-weight") { Description = "Weight of the coarse-level loss against the fine one.", DefaultValueFactory = _ => 1.0 };
        var trainBatchNorm = new Option<bool>("--train-batchnorm") { Description = "Update batch-norm statistics from the clips (by default they stay frozen)." };
        var command = new Command("train", "Imperative learning: the matcher's predictions over clips are bundle-adjusted, and BA's reprojection cost of its own predictions trains it.")
        {
            data, model, output, steps, clipLength, spacing, validation, resume, learningRate, accumulate, clipGradient, queries, maxQueries, device,
            checkpointEvery, validateEvery, seed, coarseWeight, trainBatchNorm,
        };
        command.SetAction(parse =>
        {
            try
            {
                var options = new TrainerOptions
                {
                    Steps = OptionValues.AtLeast(parse.GetValue(steps), 1, "--steps"),
                    ClipLength = OptionValues.AtLeast(parse.GetValue(clipLength), 2, "--clip-length"),
                    FrameSpacing = OptionValues.AtLeast(parse.GetValue(spacing), 1, "--frame-spacing"),
                    LearningRate = OptionValues.Positive(parse.GetValue(learningRate), "--lr"),
                    AccumulationSteps = OptionValues.AtLeast(parse.GetValue(accumulate), 1, "--accumulate"),
                    GradientClipNorm = parse.GetValue(clipGradient) > 0 ? parse.GetValue(clipGradient) : null,
                    CheckpointEvery = OptionValues.AtLeast(parse.GetValue(checkpointEvery), 1, "--checkpoint-every"),
                    ValidateEvery = OptionValues.AtLeast(parse.GetValue(validateEvery), 1, "--validate-every"),
                    Seed = parse.GetValue(seed),
                    CoarseWeight = parse.GetValue(coarseWeight),
                    FreezeBatchNorm = !parse.GetValue(trainBatchNorm),
                };
                var context = new MatcherContext { Device = parse.GetValue(device)!, MaxFeatures = OptionValues.AtLeast(parse.GetValue(maxQueries), 1, "--max-queries"), Queries = parse.GetValue(queries) };
                return Run(parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(validation), parse.GetValue(resume), options, context);
            }
            catch (Exception e) when (e is DatasetException or FileNotFoundException or DirectoryNotFoundException or FormatException or ArgumentException or InvalidDataException or InvalidOperationException)
            {
                return CliError.Report(e.Message);
            }
        });
        return command;
    }

    private static int Run(string dataSpec, string modelSpec, DirectoryInfo output, string? validationSpec, bool resume, TrainerOptions options, MatcherContext context)
    {
        var sequence = DataSpec.Parse(dataSpec).OpenSequence();
        var spec = ModelSpec.Parse(modelSpec);
        // A run records the architecture it trains, so that resuming and ckpt: specs rebuild the same network.
        string architecture = spec.Name == LearnedModels.CheckpointName
            ? TrainingCheckpoint.ReadState(CheckpointFolders.Resolve(spec.WeightsPath!)).Model
            : spec.Name;
        using var matcher = LearnedModels.CreateDifferentiable(spec, context);
        var validation = validationSpec is null ? null : MatcherValidation.FromSpec(validationSpec, [1, 3]);
        var trainer = new Trainer(matcher, architecture, sequence, options) { Validate = validation is null ? null : validation.Score };
        Console.WriteLine($"training {architecture} on {sequence.Name} ({sequence.Count} frames), {options.Steps} steps into {output.FullName}"
            + (validation is null ? "" : $"; validating on {validation.Pairs} pairs of {validationSpec}"));

        TrainingSummary summary = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: options.Steps);
                var progress = new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    string loss = p.Loss is { } l ? l.ToString("E3", CultureInfo.InvariantCulture) : $"skipped ({p.SkipReason})";
                    string val = p.ValidationMetric is { } v ? $", val {v.ToString("F4", CultureInfo.InvariantCulture)}" : "";
                    task.Description = $"step {p.Step}/{p.TotalSteps} loss {loss}, {p.Observations} obs{val}";
                });
                summary = trainer.Run(output.FullName, resume, progress);
            });

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"steps {summary.FirstStep}-{summary.LastStep}: {summary.Updates} updates in {summary.Seconds:F1} s, last loss {summary.LastLoss:E3}"));
        Console.WriteLine(summary.Skipped.Count == 0 ? "no clip skipped" : "skipped clips: " + string.Join(", ", summary.Skipped.Select(s => $"{s.Key} {s.Value}")));
        if (summary.BestMetric is { } best) Console.WriteLine(string.Create(c, $"best {validation!.MetricName} {best:F4} at step {summary.BestStep} (best/)"));
        if (summary.LastCheckpoint is { } last) Console.WriteLine($"last checkpoint {last}; load with --model ckpt:{output.FullName}");
        return 0;
    }
}
