using System.CommandLine;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Models;
using IMatching.Learning.Training;

namespace IMatching.Cli.Commands;

/// <summary>
/// The options every training command shares (<c>train</c>, <c>pretrain</c>), defined once; their defaults come from
/// the command's <see cref="TrainingOptions"/> preset, so the records stay the one place a default lives.
/// </summary>
internal sealed class TrainingCommandOptions
{
    public Option<string> Data { get; }
    public Option<string> Model { get; }
    public Option<DirectoryInfo> Output { get; }
    public Option<string?> Validation { get; }
    public Option<string?> Queries { get; }
    public Option<int> MaxFeatures { get; }
    private readonly Option<int> _steps, _accumulate, _checkpointEvery, _validateEvery, _seed, _maxFaults;
    private readonly Option<double> _learningRate, _clipGradient;
    private readonly Option<bool> _resume, _overwrite, _resumeFallback;
    private readonly Option<string> _device;
    private readonly Option<int?> _threads;

    /// <param name="defaults">The command's optimisation defaults.</param>
    /// <param name="model">The model option (help and default differ per command).</param>
    /// <param name="output">The run-folder option (required or defaulted per command).</param>
    /// <param name="queries">The query option with the command's default.</param>
    public TrainingCommandOptions(TrainingOptions defaults, string dataHelp, Option<string> model, Option<DirectoryInfo> output, string validationHelp,
        Option<string?> queries, int defaultMaxFeatures)
    {
        Data = new Option<string>("--data") { Description = dataHelp, Required = true };
        Model = model;
        Output = output;
        Validation = new Option<string?>("--val") { Description = validationHelp };
        Queries = queries;
        MaxFeatures = new Option<int>("--max-features") { Description = "Query points per frame for the model's own queries.", DefaultValueFactory = _ => defaultMaxFeatures };
        _steps = new Option<int>("--steps") { Description = "Optimiser steps in all (a resumed run continues up to this).", DefaultValueFactory = _ => defaults.Steps };
        _learningRate = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        _accumulate = new Option<int>("--accumulate") { Description = "Samples per optimiser step (gradient accumulation; the update averages those used).", DefaultValueFactory = _ => defaults.AccumulationSteps };
        _clipGradient = new Option<double>("--clip-grad") { Description = "Largest gradient norm; 0 turns clipping off.", DefaultValueFactory = _ => defaults.GradientClipNorm ?? 0 };
        _checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => defaults.CheckpointEvery };
        _validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations (with --val).", DefaultValueFactory = _ => defaults.ValidateEvery };
        _seed = new Option<int>("--seed") { Description = "Seeds random weights and the data order; the same seed repeats the run.", DefaultValueFactory = _ => defaults.Seed };
        _maxFaults = new Option<int>("--max-consecutive-failures") { Description = "Samples in a row that may fail with an exception (e.g. in mapping) before the run stops.", DefaultValueFactory = _ => defaults.MaxConsecutiveFaults };
        _resume = new Option<bool>("--resume") { Description = "Continue from the run folder's latest checkpoint." };
        _resumeFallback = new Option<bool>("--resume-fallback") { Description = "Resume; if the latest checkpoint is damaged, from the newest intact one." };
        _overwrite = new Option<bool>("--overwrite") { Description = "Start a new run in a folder that holds one, deleting its checkpoints and logs first." };
        _device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => "cpu" };
        _threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: one per core; 1 is faster when other jobs share the cores)." };
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            Data, Model, Output, _steps, _learningRate, _accumulate, _clipGradient, _checkpointEvery, _validateEvery, Validation, _seed,
            _resume, _resumeFallback, _overwrite, Queries, MaxFeatures, _device, _threads, _maxFaults,
        }) command.Options.Add(option);
    }

    /// <summary>How the run optimises, each value checked under its option's name.</summary>
    public TrainingOptions Training(ParseResult parse)
    {
        double clip = parse.GetValue(_clipGradient);
        if (!(clip >= 0)) throw new ArgumentException($"--clip-grad {clip} is negative.");
        double rate = parse.GetValue(_learningRate);
        if (!(rate > 0)) throw new ArgumentException($"--lr {rate} is not positive.");
        return new TrainingOptions
        {
            Steps = AtLeastOne(parse, _steps),
            LearningRate = rate,
            AccumulationSteps = AtLeastOne(parse, _accumulate),
            GradientClipNorm = clip > 0 ? clip : null,
            CheckpointEvery = AtLeastOne(parse, _checkpointEvery),
            ValidateEvery = AtLeastOne(parse, _validateEvery),
            Seed = parse.GetValue(_seed),
            MaxConsecutiveFaults = AtLeastOne(parse, _maxFaults),
        };
    }

    public RunMode Mode(ParseResult parse)
    {
        bool resume = parse.GetValue(_resume), fallback = parse.GetValue(_resumeFallback), overwrite = parse.GetValue(_overwrite);
        if (overwrite && (resume || fallback)) throw new ArgumentException("--overwrite starts a new run; it cannot be combined with --resume or --resume-fallback.");
        return fallback ? RunMode.ResumeWithFallback : resume ? RunMode.Resume : overwrite ? RunMode.Overwrite : RunMode.New;
    }

    public MatcherContext Context(ParseResult parse, bool randomInitialization) => new()
    {
        Device = parse.GetValue(_device)!,
        MaxFeatures = AtLeastOne(parse, MaxFeatures),
        Queries = parse.GetValue(Queries),
        RandomInitialization = randomInitialization,
    };

    /// <summary>Sets libtorch's CPU threads when asked.</summary>
    public void ApplyThreads(ParseResult parse)
    {
        if (parse.GetValue(_threads) is { } count) TorchSharp.torch.set_num_threads(count > 0 ? count : throw new ArgumentException($"--threads {count} is not positive."));
    }

    /// <summary>Says on stderr what the loop wants a user to see beside the progress bar.</summary>
    public static void Notice(string message) => Console.Error.WriteLine($"warning: {message}");

    private static int AtLeastOne(ParseResult parse, Option<int> option)
    {
        int value = parse.GetValue(option);
        return value >= 1 ? value : throw new ArgumentException($"{option.Name} {value} must be at least 1.");
    }
}
