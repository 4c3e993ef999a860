using System.CommandLine;
using System.Globalization;
using IMatching.Learning.Backbones;
using IMatching.Learning.Checkpoints;
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
        var shared = new TrainingCommandOptions(TrainingOptions.Pretraining,
            "Frames to warp, e.g. synthetic:office?frames=40&size=320x240 or folder:PATH.",
            new Option<string>("--model") { Description = "alike-{t,s,n,l}+exp or +reg (random start), NAME:WEIGHTS or ckpt:DIR (continue from weights).", DefaultValueFactory = _ => "alike-t+exp" },
            new Option<DirectoryInfo>("--out") { Description = "Run folder: checkpoints/, latest, best/, tensorboard/, skips.log.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "pretrain")) },
            "Held-out frames: MMA@3px on homography pairs of them picks best/ (e.g. another seed of the same domain).",
            new Option<string?>("--queries") { Description = "Supervised query points: grid:S or alike:N, sift:N, orb:N, fast:N.", DefaultValueFactory = _ => "grid:16" },
            defaultMaxFeatures: new MatcherContext().MaxFeatures);
        var defaults = new PretrainerOptions();
        var size = new Option<string?>("--size") { Description = "Resize every frame to WxH first (default: the frames' own size)." };
        var crop = new Option<string?>("--crop") { Description = "Train on WxH crops of the frames (e.g. 160x120: a quarter of the cost per pair); held-out pairs stay whole." };
        var pairs = new Option<int>("--pairs-per-step") { Description = "Homography pairs per step (one batched forward pass).", DefaultValueFactory = _ => defaults.PairsPerStep };
        var validationPairs = new Option<int>("--val-pairs") { Description = "Held-out pairs.", DefaultValueFactory = _ => 24 };
        var command = new Command("pretrain", "Pretrain a differentiable matcher on random homographies of one domain's frames; writes checkpoints ckpt:DIR loads.");
        shared.AddTo(command);
        foreach (Option option in new Option[] { size, crop, pairs, validationPairs }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            try
            {
                var options = defaults with
                {
                    PairsPerStep = parse.GetValue(pairs),
                    ImageSize = parse.GetValue(size) is { } text ? ParseSize("--size", text) : null,
                    CropSize = parse.GetValue(crop) is { } cropText ? ParseSize("--crop", cropText) : null,
                };
                shared.ApplyThreads(parse);
                return Run(parse.GetValue(shared.Data)!, parse.GetValue(shared.Model)!, shared.Context(parse, randomInitialization: true), shared.Training(parse), options,
                    parse.GetValue(shared.Output)!, shared.Mode(parse), parse.GetValue(shared.Validation), parse.GetValue(validationPairs));
            }
            catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException or FormatException or ArgumentException
                                          or InvalidOperationException or InvalidDataException or StateDictMismatchException)
            {
                return CliError.Report(e.Message);
            }
        });
        return command;
    }

    private static int Run(string dataSpec, string modelText, MatcherContext context, TrainingOptions training, PretrainerOptions options, DirectoryInfo output,
        RunMode mode, string? validationSpec, int validationPairs)
    {
        var data = DataSpec.Parse(dataSpec);
        var spec = ModelSpec.Parse(modelText);
        // The folder is checked before any costly work (rendering, loading a network).
        var start = new RunFolder(output.FullName).Start(mode, TrainingCommandOptions.Notice);
        var sequence = data.OpenSequence();
        string architecture = LearnedModels.Architecture(spec);
        var pretrainer = new Pretrainer(sequence, options);
        // Seeded before the network is built, so a random start is the same for the same --seed.
        TorchSharp.torch.random.manual_seed(training.Seed);
        using var matcher = LearnedModels.CreateDifferentiable(spec, context);
        using var benchmark = validationSpec is null ? null : new HomographyBenchmark(DataSpec.Parse(validationSpec).OpenSequence(), validationPairs,
            training.Seed + 1, new HomographyPairSampler(options.Geometry, options.Appearance), options.ImageSize, options.TargetMarginPx);
        var loop = new TrainingLoop(matcher, architecture, training)
        {
            Validation = benchmark is null ? null : new Validator("mma3", m => benchmark.MeanMatchingAccuracy(m, [3])[0]),
            Notice = TrainingCommandOptions.Notice,
        };

        TrainingSummary summary = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"pretraining {matcher.Name} on {sequence.Name}", maxValue: training.Steps);
                summary = loop.Run(pretrainer, start, new PretrainProgressReporter(task));
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
