using System.CommandLine;
using System.Globalization;
using IMatching.Learning.Backbones;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Pretraining;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching pretrain</c>: a starting model supervised by random homographies of one domain's frames.</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Frames to warp, e.g. synthetic:office?frames=40&size=320x240 or folder:PATH.", Required = true };
        var model = new Option<string>("--model") { Description = "alike-{t,s,n,l}+exp or +reg (random start), NAME:WEIGHTS or ckpt:DIR (continue from weights).", DefaultValueFactory = _ => "alike-t+exp" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder: checkpoints/, latest, best/, tensorboard/.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "pretrain")) };
        var steps = new Option<int>("--steps") { Description = "Optimiser steps in total (a resumed run continues up to this).", DefaultValueFactory = _ => 1000 };
        var rate = new Option<double>("--lr") { Description = "Adam learning rate (1e-3 from scratch, ~1e-4 from published weights).", DefaultValueFactory = _ => 1e-3 };
        var size = new Option<string?>("--size") { Description = "Resize every frame to WxH first (default: the frames' own size)." };
        var crop = new Option<string?>("--crop") { Description = "Train on WxH crops of the frames (e.g. 160x120: a quarter of the cost per pair); held-out pairs stay whole." };
        var queries = new Option<string>("--queries") { Description = "Supervised query points: grid:S or alike:N, sift:N, orb:N, fast:N.", DefaultValueFactory = _ => "grid:16" };
        var pairs = new Option<int>("--pairs-per-step") { Description = "Homography pairs per step (one batched forward pass).", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "Initial weights and every pair drawn; the same seed repeats the run.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu | cuda | cuda:N | auto.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: one per core; 1 is faster when other jobs share the cores)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's latest checkpoint." };
        var validation = new Option<string?>("--val-data") { Description = "Held-out frames: MMA@3px on homography pairs of them picks best/ (e.g. another seed of the same domain)." };
        var validationPairs = new Option<int>("--val-pairs") { Description = "Held-out pairs.", DefaultValueFactory = _ => 24 };
        var validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations (and checkpoints).", DefaultValueFactory = _ => 100 };
        var command = new Command("pretrain", "Pretrain a differentiable matcher on random homographies of one domain's frames; writes checkpoints ckpt:DIR loads.")
        {
            data, model, output, steps, rate, size, crop, queries, pairs, seed, device, threads, resume, validation, validationPairs, validateEvery,
        };
        command.SetAction(parse =>
        {
            try
            {
                var options = new PretrainerOptions
                {
                    Steps = OptionValues.AtLeast(parse.GetValue(steps), 1, "--steps"),
                    LearningRate = OptionValues.Positive(parse.GetValue(rate), "--lr"),
                    PairsPerStep = OptionValues.AtLeast(parse.GetValue(pairs), 1, "--pairs-per-step"),
                    Seed = parse.GetValue(seed),
                    ImageSize = parse.GetValue(size) is { } text ? ParseSize("--size", text) : null,
                    CropSize = parse.GetValue(crop) is { } cropText ? ParseSize("--crop", cropText) : null,
                    CheckpointEvery = OptionValues.AtLeast(parse.GetValue(validateEvery), 1, "--validate-every"),
                    ValidateEvery = parse.GetValue(validateEvery),
                };
                if (parse.GetValue(threads) is { } count)
                    TorchSharp.torch.set_num_threads(OptionValues.AtLeast(count, 1, "--threads"));
                var context = new MatcherContext { Device = parse.GetValue(device)!, Queries = parse.GetValue(queries), RandomInitialization = true };
                return Run(parse.GetValue(data)!, parse.GetValue(model)!, context, options, parse.GetValue(output)!, parse.GetValue(resume),
                    parse.GetValue(validation), parse.GetValue(validationPairs));
            }
            catch (Exception e) when (e is DatasetException or FileNotFoundException or DirectoryNotFoundException or FormatException or ArgumentException
                                          or InvalidOperationException or InvalidDataException or StateDictMismatchException)
            {
                return CliError.Report(e.Message);
            }
        });
        return command;
    }

    private static int Run(string dataSpec, string modelText, MatcherContext context, PretrainerOptions options, DirectoryInfo output, bool resume,
        string? validationSpec, int validationPairs)
    {
        var sequence = DataSpec.Parse(dataSpec).OpenSequence();
        var spec = ModelSpec.Parse(modelText);
        string architecture = LearnedModels.Architecture(spec);
        // Seeded before the network is built, so a random start is the same for the same --seed.
        TorchSharp.torch.random.manual_seed(options.Seed);
        using var matcher = LearnedModels.CreateDifferentiable(spec, context);
        using var benchmark = validationSpec is null ? null : new HomographyBenchmark(DataSpec.Parse(validationSpec).OpenSequence(), validationPairs,
            options.Seed + 1, new HomographyPairSampler(options.Geometry, options.Appearance), options.ImageSize, options.TargetMarginPx);
        var pretrainer = new Pretrainer(matcher, architecture, sequence, options)
        {
            Validate = benchmark is null ? null : m => benchmark.MeanMatchingAccuracy(m, [3])[0],
        };

        TrainingSummary summary = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"pretraining {matcher.Name} on {sequence.Name}", maxValue: options.Steps);
                summary = pretrainer.Run(output.FullName, resume, new PretrainProgressReporter(task));
                task.Value = task.MaxValue;
            });

        var c = CultureInfo.InvariantCulture;
        // Seconds count the whole run, resumed parts included, so they are shared over every step.
        Console.WriteLine(string.Create(c,
            $"{architecture}: steps {summary.FirstStep}-{summary.LastStep}, {summary.Updates} updates; {summary.Seconds:F0} s in all ({summary.Seconds / summary.LastStep:F2} s/step), last loss {summary.LastLoss?.ToString("F4", c) ?? "-"}"));
        if (summary.Skipped.Count > 0) Console.WriteLine($"skipped: {string.Join(", ", summary.Skipped.Select(s => $"{s.Key} {s.Value}"))}");
        if (summary.BestMetric is { } best) Console.WriteLine(string.Create(c, $"held-out MMA@3px: best {best:F3} at step {summary.BestStep}"));
        if (summary.LastCheckpoint is { } last) Console.WriteLine($"checkpoint {last}");
        Console.WriteLine($"use it with --model ckpt:{output.FullName}");
        return 0;
    }

    private static (int Width, int Height) ParseSize(string option, string text)
    {
        string[] parts = text.Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) && w > 0 && h > 0
            ? (w, h) : throw new FormatException($"{option} '{text}' is not WxH (e.g. 320x240).");
    }
}
