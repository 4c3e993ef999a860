using IMatching.Geometry;
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
    public const string Name = "pretrain";

    public static Command Create()
    {
        var shared = new TrainingCommandOptions(TrainingOptions.Pretraining, new MatcherContext { Queries = "grid:16", RandomInitialization = true },
            "Frames to warp, e.g. synthetic:office?frames=40&size=320x240 or folder:PATH.",
            "alike-{t,s,n,l}+exp or +reg (random start), NAME:WEIGHTS or ckpt:DIR (continue from weights).", defaultModel: "alike-t+exp",
            defaultOutput: Path.Combine("runs", "pretrain"),
            "Held-out frames: MMA@3px on homography pairs of them picks best/ (e.g. another seed of the same domain).",
            "Supervised query points: grid:S or alike:N, sift:N, orb:N, fast:N.");
        var defaults = new PretrainSettings(new PretrainerOptions(), ValidationPairs: 24);
        var size = new Option<string?>("--size") { Description = "Resize every frame to WxH first (default: the frames' own size)." };
        var crop = new Option<string?>("--crop") { Description = "Train on WxH crops of the frames (e.g. 160x120: a quarter of the cost per pair); held-out pairs stay whole." };
        var pairs = new Option<int>("--pairs-per-step") { Description = "Homography pairs per step (one batched forward pass).", DefaultValueFactory = _ => defaults.Pretrainer.PairsPerStep };
        var validationPairs = new Option<int>("--val-pairs") { Description = "Held-out pairs.", DefaultValueFactory = _ => defaults.ValidationPairs };
        var command = new Command(Name, "Pretrain a differentiable matcher on random homographies of one domain's frames; writes checkpoints ckpt:DIR loads.");
        shared.AddTo(command);
        foreach (Option option in new Option[] { size, crop, pairs, validationPairs }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var configuration = shared.Resolve(parse, Name, defaults, (file, baseline) => new PretrainSettings(baseline.Pretrainer with
            {
                PairsPerStep = TrainingCommandOptions.Pick(parse, pairs, file is not null, baseline.Pretrainer.PairsPerStep),
                ImageSize = parse.GetValue(size) is { } text ? ParseSize("--size", text) : baseline.Pretrainer.ImageSize,
                CropSize = parse.GetValue(crop) is { } cropText ? ParseSize("--crop", cropText) : baseline.Pretrainer.CropSize,
            }, TrainingCommandOptions.Pick(parse, validationPairs, file is not null, baseline.ValidationPairs)));
            var mode = shared.Mode(parse);
            TrainingCommandOptions.ApplyThreads(configuration);
            return Run(configuration, mode);
        });
        return command;
    }

    private static int Run(RunConfiguration<PretrainSettings> configuration, RunMode mode)
    {
        var data = DataSpec.Parse(configuration.Data);
        var spec = ModelSpec.Parse(configuration.Model);
        var (training, options) = (configuration.Training, configuration.Method.Pretrainer);
        // The folder is checked before any costly work (rendering, loading a network).
        var start = new RunFolder(configuration.Output).Start(mode, TrainingCommandOptions.Notice);
        configuration.Write(start.Folder.ConfigFile);
        var sequence = data.OpenSequence();
        string architecture = LearnedModels.Architecture(spec);
        var pretrainer = new Pretrainer(sequence, options);
        // Seeded before the network is built, so a random start is the same for the same --seed.
        TorchSharp.torch.random.manual_seed(training.Seed);
        using var matcher = LearnedModels.CreateDifferentiable(spec, configuration.Context);
        using var benchmark = configuration.Validation is not { } validationSpec ? null : new HomographyBenchmark(DataSpec.Parse(validationSpec).OpenSequence(),
            configuration.Method.ValidationPairs, training.Seed + 1, new HomographyPairSampler(options.Geometry, options.Appearance), options.ImageSize, options.TargetMarginPx);
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
        Console.WriteLine($"use it with --model ckpt:{start.Folder.Path}");
        return 0;
    }

    /// <summary>What pretraining computes, with the size of its held-out benchmark.</summary>
    internal sealed record PretrainSettings(PretrainerOptions Pretrainer, int ValidationPairs);

    private static (int Width, int Height) ParseSize(string option, string text)
    {
        string[] parts = text.Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) && w > 0 && h > 0
            ? (w, h) : throw new UserInputException($"{option} '{text}'", "is not WxH (e.g. 320x240)");
    }
}
