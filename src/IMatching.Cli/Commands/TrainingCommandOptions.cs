using IMatching.Geometry;
using System.CommandLine;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Training;

namespace IMatching.Cli.Commands;

/// <summary>
/// The options every training command shares (<c>train</c>, <c>pretrain</c>), defined once. Their defaults come from
/// the command's <see cref="TrainingOptions"/> preset and <see cref="MatcherContext"/>, so the records stay the one
/// place a default lives; with <c>--config FILE</c> a run's <c>config.json</c> replaces the defaults, and options
/// given on the command line override it.
/// </summary>
internal sealed class TrainingCommandOptions
{
    private readonly TrainingOptions _defaults;
    private readonly MatcherContext _contextDefaults;
    private readonly Option<string?> _data, _model, _validation, _queries, _windowCentre;
    private readonly Option<DirectoryInfo?> _output;
    private readonly Option<FileInfo?> _config;
    private readonly Option<int> _steps, _accumulate, _checkpointEvery, _validateEvery, _seed, _maxFaults, _maxFeatures;
    private readonly Option<double> _learningRate, _clipGradient;
    private readonly Option<bool> _resume, _overwrite, _resumeFallback;
    private readonly Option<string> _device;
    private readonly Option<int?> _threads;

    /// <param name="defaults">The command's optimisation defaults.</param>
    /// <param name="contextDefaults">The command's model settings (query points) by default.</param>
    /// <param name="defaultModel">The model when none is given, or null when --model is required.</param>
    /// <param name="defaultOutput">The run folder when none is given, or null when --out is required.</param>
    public TrainingCommandOptions(TrainingOptions defaults, MatcherContext contextDefaults, string dataHelp, string modelHelp, string? defaultModel,
        string? defaultOutput, string validationHelp, string queriesHelp)
    {
        (_defaults, _contextDefaults) = (defaults, contextDefaults);
        _data = new Option<string?>("--data") { Description = dataHelp + " Required unless --config gives it." };
        _model = new Option<string?>("--model") { Description = modelHelp + (defaultModel is null ? " Required unless --config gives it." : ""), DefaultValueFactory = _ => defaultModel };
        _output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Run folder: checkpoints/, latest, best/, tensorboard/, skips.log, config.json." + (defaultOutput is null ? " Required unless --config gives it." : ""),
            DefaultValueFactory = _ => defaultOutput is null ? null : new DirectoryInfo(defaultOutput),
        };
        _config = new Option<FileInfo?>("--config") { Description = "A run's config.json: its settings replace the defaults; options given here override them." };
        _validation = new Option<string?>("--val") { Description = validationHelp };
        _queries = new Option<string?>("--queries") { Description = queriesHelp, DefaultValueFactory = _ => contextDefaults.Queries };
        _windowCentre = WindowCentreOption.Create();
        _maxFeatures = new Option<int>("--max-features") { Description = "Query points per frame for the model's own queries.", DefaultValueFactory = _ => contextDefaults.MaxFeatures };
        _device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or auto.", DefaultValueFactory = _ => contextDefaults.Device };
        _steps = new Option<int>("--steps") { Description = "Optimiser steps in all (a resumed run continues up to this); 0 saves the starting model as step 0 (the control).", DefaultValueFactory = _ => defaults.Steps };
        _learningRate = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        _accumulate = new Option<int>("--accumulate") { Description = "Samples per optimiser step (gradient accumulation; the update averages those used).", DefaultValueFactory = _ => defaults.AccumulationSteps };
        _clipGradient = new Option<double>("--clip-grad") { Description = "Largest gradient norm; 0 turns clipping off.", DefaultValueFactory = _ => defaults.GradientClipNorm ?? 0 };
        _checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => defaults.CheckpointEvery };
        _validateEvery = new Option<int>("--validate-every") { Description = "Steps between validations (with --val).", DefaultValueFactory = _ => defaults.ValidateEvery };
        _seed = new Option<int>("--seed") { Description = "Seeds random weights and the data order; the same seed repeats the run.", DefaultValueFactory = _ => defaults.Seed };
        _maxFaults = new Option<int>("--max-consecutive-faults") { Description = "Stop when this many samples in a row fail with an exception (e.g. in mapping); fewer are counted skips.", DefaultValueFactory = _ => defaults.MaxConsecutiveFaults };
        _resume = new Option<bool>("--resume") { Description = "Continue from the run folder's latest checkpoint." };
        _resumeFallback = new Option<bool>("--resume-fallback") { Description = "Resume; if the latest checkpoint is damaged, from the newest intact one." };
        _overwrite = new Option<bool>("--overwrite") { Description = "Start a new run in a folder that holds one, deleting its checkpoints and logs first." };
        _threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: one per core; 1 is faster when other jobs share the cores)." };
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            _data, _model, _output, _config, _steps, _learningRate, _accumulate, _clipGradient, _checkpointEvery, _validateEvery, _validation, _seed,
            _resume, _resumeFallback, _overwrite, _queries, _windowCentre, _maxFeatures, _device, _threads, _maxFaults,
        }) command.Options.Add(option);
    }

    /// <summary>
    /// The run's whole configuration: the file's (<c>--config</c>) or the defaults, overridden by the options given,
    /// each value checked under its option's name.
    /// </summary>
    /// <param name="method">Applies the command's own options to its method settings (the file's or the defaults).</param>
    public RunConfiguration<TMethod> Resolve<TMethod>(ParseResult parse, string command, TMethod methodDefaults, Func<RunConfiguration<TMethod>?, TMethod, TMethod> method)
        where TMethod : class
    {
        var file = parse.GetValue(_config) is { } path ? RunConfiguration<TMethod>.Read(path.FullName, command) : null;
        bool fromFile = file is not null;
        var baseline = file?.Training ?? _defaults;
        double clip = Pick(parse, _clipGradient, fromFile, baseline.GradientClipNorm ?? 0);
        if (!(clip >= 0)) throw new UserInputException($"--clip-grad {clip}", "is negative");
        double rate = Pick(parse, _learningRate, fromFile, baseline.LearningRate);
        if (!(rate > 0)) throw new UserInputException($"--lr {rate}", "is not positive");
        var training = baseline with
        {
            // 0 steps is the control run: the starting model saved as step 0, evaluated beside every adapted one.
            Steps = OptionValues.AtLeast(Pick(parse, _steps, fromFile, baseline.Steps), 0, _steps.Name),
            LearningRate = rate,
            AccumulationSteps = AtLeastOne(_accumulate, Pick(parse, _accumulate, fromFile, baseline.AccumulationSteps)),
            GradientClipNorm = clip > 0 ? clip : null,
            CheckpointEvery = AtLeastOne(_checkpointEvery, Pick(parse, _checkpointEvery, fromFile, baseline.CheckpointEvery)),
            ValidateEvery = AtLeastOne(_validateEvery, Pick(parse, _validateEvery, fromFile, baseline.ValidateEvery)),
            Seed = Pick(parse, _seed, fromFile, baseline.Seed),
            MaxConsecutiveFaults = AtLeastOne(_maxFaults, Pick(parse, _maxFaults, fromFile, baseline.MaxConsecutiveFaults)),
        };
        var contextBaseline = file?.Context ?? _contextDefaults;
        var context = contextBaseline with
        {
            Device = Pick(parse, _device, fromFile, contextBaseline.Device),
            MaxFeatures = AtLeastOne(_maxFeatures, Pick(parse, _maxFeatures, fromFile, contextBaseline.MaxFeatures)),
            Queries = Pick(parse, _queries, fromFile, contextBaseline.Queries),
            WindowCentre = WindowCentreOption.Parse(Pick(parse, _windowCentre, fromFile,
                contextBaseline.WindowCentre is { } centre ? WindowCentres.Name(centre) : null)),
        };
        return new RunConfiguration<TMethod>(command,
            Pick(parse, _data, fromFile, file?.Data) ?? throw new UserInputException("--data", "is required (or --config FILE)"),
            Pick(parse, _model, fromFile, file?.Model) ?? throw new UserInputException("--model", "is required (or --config FILE)"),
            (Pick(parse, _output, fromFile, file is null ? null : new DirectoryInfo(file.Output)) ?? throw new UserInputException("--out", "is required (or --config FILE)")).FullName,
            Pick(parse, _validation, fromFile, file?.Validation),
            training, method(file, file?.Method ?? methodDefaults), context, Threads(Pick(parse, _threads, fromFile, file?.Threads)),
            RunConfiguration<TMethod>.CurrentVersions);
    }

    /// <summary>The option's value when given on the command line, else the configuration file's, else its default.</summary>
    public static T Pick<T>(ParseResult parse, Option<T> option, bool fromFile, T fileValue) =>
        parse.GetResult(option) is { Implicit: false } || !fromFile ? parse.GetValue(option)! : fileValue;

    public RunMode Mode(ParseResult parse)
    {
        bool resume = parse.GetValue(_resume), fallback = parse.GetValue(_resumeFallback), overwrite = parse.GetValue(_overwrite);
        if (overwrite && (resume || fallback)) throw new UserInputException("--overwrite", "starts a new run; it cannot be combined with --resume or --resume-fallback");
        return fallback ? RunMode.ResumeWithFallback : resume ? RunMode.Resume : overwrite ? RunMode.Overwrite : RunMode.New;
    }

    /// <summary>Sets libtorch's CPU threads when the configuration asks.</summary>
    public static void ApplyThreads<TMethod>(RunConfiguration<TMethod> configuration)
    {
        if (configuration.Threads is { } count) TorchSharp.torch.set_num_threads(count);
    }

    private static int? Threads(int? count) => count is not { } n || n > 0 ? count : throw new UserInputException($"--threads {n}", "is not positive");

    /// <summary>Says on stderr what the loop wants a user to see beside the progress bar.</summary>
    public static void Notice(string message) => Console.Error.WriteLine($"warning: {message}");

    private static int AtLeastOne(Option<int> option, int value) =>
        value >= 1 ? value : throw new UserInputException($"{option.Name} {value}", "must be at least 1");
}
