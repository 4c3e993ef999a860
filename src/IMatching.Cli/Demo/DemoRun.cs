using System.Diagnostics;
using System.Globalization;
using IMatching.Cli.Commands;
using IMatching.Cli.Reports;
using IMatching.Learning.Adaptation;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;
using Spectre.Console;

namespace IMatching.Cli.Demo;

/// <summary>
/// The demo's outcome: SIFT, the starting model ("before"), its 0-step checkpoint ("control", equal to before by
/// construction), batch-norm statistics re-estimated on the target frames ("batchnorm", the baseline to beat) and the
/// model after imperative learning ("after"), with the adaptation's summary.
/// </summary>
public sealed record DemoResult(ModelEvaluation Sift, ModelEvaluation Before, ModelEvaluation Control, ModelEvaluation BatchNorm, ModelEvaluation After,
    TrainingSummary Adaptation, double Seconds)
{
    public IReadOnlyList<ModelEvaluation> Rows => [Sift, Before, Control, BatchNorm, After];

    /// <summary>The <c>"stage"</c> of each row in the demo's JSON.</summary>
    public string StageOf(ModelEvaluation row) =>
        ReferenceEquals(row, Sift) ? "reference" : ReferenceEquals(row, Control) ? "control" : ReferenceEquals(row, BatchNorm) ? "batchnorm" : ReferenceEquals(row, After) ? "after" : "before";
}

/// <summary>
/// The README's main job: a pretrained matcher (official ALIKE, shipped with the library, unless <c>--start</c> or
/// <c>--pretrain</c> says otherwise) is evaluated on held-out frames of a rendered domain, adapted there by imperative
/// learning on other frames (no labels), and evaluated again, beside SIFT, its own 0-step checkpoint and the
/// statistics-only baseline. Everything is rendered locally; nothing is downloaded. Every evaluation is inference.
/// </summary>
public sealed class DemoRun(DemoPlan plan, string outputDirectory, string device, IAnsiConsole console)
{
    /// <summary>Makes a starting model from scratch when the plan asks for it: returns its spec (e.g. <c>ckpt:DIR</c>).</summary>
    public Func<DemoPlan, string, string>? Pretrain { get; init; }

    /// <summary>Recorded in the report (report/index.html).</summary>
    public string CommandLine { get; init; } = "imatching demo";

    public DemoResult Execute(string? startSpec)
    {
        plan.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputDirectory);
        var context = new MatcherContext { Device = device, Queries = plan.Queries, WindowCentre = plan.WindowCentre };

        Stage($"Rendering the target domain '{plan.TargetDomain}' ({plan.TargetFrames} frames {plan.Width}x{plan.Height}; cached after the first run)");
        var adaptationFrames = DataSpec.Parse(plan.TrainingSpec).OpenSequence();
        var heldOut = EvaluationPairs.FromSpec(DataSpec.Parse(plan.HeldOutSpec), plan.EvaluationGaps);
        console.MarkupLine($"  adaptation: frames 0-{plan.TrainingFrames - 1}; evaluation: {heldOut.Count} pairs among frames {plan.TrainingFrames}-{plan.TargetFrames - 1} (gaps {string.Join(", ", plan.EvaluationGaps)})");

        if (startSpec is null && plan.PretrainFromScratch)
        {
            if (Pretrain is null) throw new InvalidOperationException("The plan asks for pretraining but no pretraining step was given.");
            Stage($"Pretraining {plan.Model} from scratch on '{plan.SourceDomain}' with random homographies ({plan.PretrainSteps} steps)");
            startSpec = Pretrain(plan, Path.Combine(outputDirectory, "pretrain"));
        }
        var start = ModelSpec.Parse(startSpec ?? plan.Model);
        string architecture = LearnedModels.Architecture(start);
        console.MarkupLine($"  starting model: {Markup.Escape(start.ToString())}{(start.WeightsPath is null ? " (official weights shipped with IMatching)" : "")}; queries {Markup.Escape(plan.Queries)}; window centre {WindowCentres.Name(plan.WindowCentre)}");

        Stage("Evaluating SIFT and the starting model");
        var sift = Evaluate("sift", MatcherFactory.Create(ModelSpec.Parse("sift"), new MatcherContext { MaxFeatures = 2000 }), heldOut);
        var before = Evaluate("before", MatcherFactory.Create(start, context), heldOut);

        Stage("0-step control: the starting model written as a checkpoint and read back (must equal before)");
        string control = ZeroStepRun(start, context, architecture, adaptationFrames, "control", matcher => { });
        var controlRow = Evaluate("control", MatcherFactory.Create(ModelSpec.Parse($"ckpt:{control}"), context), heldOut);

        Stage($"Batch-norm statistics only: re-estimated on the {plan.TrainingFrames} adaptation frames, no gradient step");
        string batchNorm = ZeroStepRun(start, context, architecture, adaptationFrames, "batchnorm",
            matcher => BatchNormAdaptation.Run(matcher, adaptationFrames.Frames));
        var batchNormRow = Evaluate("batchnorm", MatcherFactory.Create(ModelSpec.Parse($"ckpt:{batchNorm}"), context), heldOut);

        Stage($"Adapting by imperative learning on '{plan.TargetDomain}' ({plan.AdaptSteps} steps, clips of 5, no labels)");
        var losses = new List<(int Step, double Loss)>();
        var training = new TrainingOptions { Steps = plan.AdaptSteps, LearningRate = plan.AdaptLearningRate, CheckpointEvery = plan.AdaptSteps, Seed = plan.Seed };
        string adapted = Path.Combine(outputDirectory, "adapt");
        TrainingSummary adaptation = null!;
        using (var matcher = LearnedModels.CreateDifferentiable(start, context))
        {
            var loop = new TrainingLoop(matcher, architecture, training) { Notice = m => console.MarkupLine($"  [yellow]{Markup.Escape(m)}[/]") };
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(ctx =>
            {
                var task = ctx.AddTask("adapting", maxValue: plan.AdaptSteps);
                // Each demo run adapts afresh; the folder keeps only the latest adaptation.
                adaptation = loop.Run(new Trainer(adaptationFrames, plan.Method), new RunFolder(adapted).Start(RunMode.Overwrite),
                    new InlineProgress<TrainingProgress>(p =>
                    {
                        task.Value = p.Step;
                        if (p.Loss is { } loss) losses.Add((p.Step, loss));
                        task.Description = p.Loss is { } l
                            ? string.Create(CultureInfo.InvariantCulture, $"step {p.Step} loss {l:E3}, {p.Value(Trainer.Observations) ?? 0} surviving predictions")
                            : $"step {p.Step} skipped ({p.LastSkip})";
                    }));
            });
        }

        Stage("Evaluating after adaptation");
        var after = Evaluate("after", MatcherFactory.Create(ModelSpec.Parse($"ckpt:{adapted}"), context), heldOut);

        var result = new DemoResult(sift, before, controlRow, batchNormRow, after, adaptation, clock.Elapsed.TotalSeconds);
        WriteReport(result, losses);
        return result;
    }

    /// <summary>The starting model, changed by <paramref name="prepare"/> without any gradient step, saved as a 0-step run.</summary>
    private string ZeroStepRun(ModelSpec start, MatcherContext context, string architecture, Sequence frames, string name, Action<IDifferentiableMatcher> prepare)
    {
        string folder = Path.Combine(outputDirectory, name);
        using var matcher = LearnedModels.CreateDifferentiable(start, context);
        prepare(matcher);
        new TrainingLoop(matcher, architecture, new TrainingOptions { Steps = 0, Seed = plan.Seed })
            .Run(new Trainer(frames, plan.Method), new RunFolder(folder).Start(RunMode.Overwrite));
        return folder;
    }

    private ModelEvaluation Evaluate(string name, IPairMatcher matcher, IReadOnlyList<EvaluationPair> pairs)
    {
        IReadOnlyList<PairResult> results = [];
        try
        {
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn()).Start(ctx =>
            {
                var task = ctx.AddTask($"{name}: {pairs.Count} pairs", maxValue: pairs.Count);
                results = MatcherEvaluation.Run(matcher, pairs, new ProgressTaskReporter(task));
            });
        }
        finally
        {
            (matcher as IDisposable)?.Dispose();
        }
        return new ModelEvaluation(name, results);
    }

    private void WriteReport(DemoResult result, IReadOnlyList<(int Step, double Loss)> losses)
    {
        string folder = Path.Combine(outputDirectory, "report");
        var written = new HtmlReport
        {
            Title = $"imatching demo: {plan.Model} adapted to '{plan.TargetDomain}'",
            CommandLine = CommandLine,
            Models = result.Rows,
            Notes = [.. DemoTable.Gains(result)],
            Losses = losses,
            LossTitle = $"Imperative learning on '{plan.TargetDomain}'",
        }.Write(folder);
        console.MarkupLine($"  report: {written.Count} files in {Markup.Escape(folder)}, open index.html");
    }

    private void Stage(string text) => console.MarkupLine($"[bold]> {Markup.Escape(text)}[/]");
}
