using System.Diagnostics;
using System.Globalization;
using IMatching.Cli.Commands;
using IMatching.Cli.Reports;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;
using Spectre.Console;

namespace IMatching.Cli.Demo;

/// <summary>The demo's outcome: the three evaluated rows and the training summary.</summary>
public sealed record DemoResult(ModelEvaluation Sift, ModelEvaluation Before, ModelEvaluation After, TrainingSummary Adaptation, double Seconds);

/// <summary>
/// The README's main job: a starting matcher, made by this project on one synthetic domain, is evaluated on
/// held-out frames of another domain, adapted there by imperative learning on other frames (no labels), and
/// evaluated again, beside SIFT. Everything is rendered locally; nothing is downloaded.
/// </summary>
public sealed class DemoRun(DemoPlan plan, string outputDirectory, string device, IAnsiConsole console)
{
    /// <summary>Makes the starting model when none is given: returns its spec (e.g. <c>ckpt:DIR</c>).</summary>
    public Func<DemoPlan, string, string>? Pretrain { get; init; }

    /// <summary>Recorded in the report (report/index.html).</summary>
    public string CommandLine { get; init; } = "imatching demo";

    public DemoResult Execute(string? startSpec)
    {
        plan.Validate();
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outputDirectory);
        var context = new MatcherContext { Device = device, Queries = plan.Queries };

        Stage($"Rendering the target domain '{plan.TargetDomain}' ({plan.TargetFrames} frames {plan.Width}x{plan.Height}; cached after the first run)");
        var adaptationFrames = DataSpec.Parse(plan.TrainingSpec).OpenSequence();
        var heldOut = EvaluationPairs.FromSpec(DataSpec.Parse(plan.HeldOutSpec), plan.EvaluationGaps);
        console.MarkupLine($"  adaptation: frames 0-{plan.TrainingFrames - 1}; evaluation: {heldOut.Count} pairs among frames {plan.TrainingFrames}-{plan.TargetFrames - 1} (gaps {string.Join(", ", plan.EvaluationGaps)})");

        if (startSpec is null)
        {
            if (Pretrain is null) throw new InvalidOperationException("No starting model and no pretraining step.");
            Stage($"Pretraining {plan.Model} from scratch on '{plan.SourceDomain}' with random homographies ({plan.PretrainSteps} steps)");
            startSpec = Pretrain(plan, Path.Combine(outputDirectory, "pretrain"));
        }
        console.MarkupLine($"  starting model: {Markup.Escape(startSpec)}");

        Stage("Evaluating before adaptation");
        var sift = Evaluate("sift", MatcherFactory.Create(ModelSpec.Parse("sift"), new MatcherContext { MaxFeatures = 2000 }), heldOut);
        using var matcher = LearnedModels.CreateDifferentiable(ModelSpec.Parse(startSpec), context);
        var before = Evaluate("before", new DifferentiablePairMatcher(matcher), heldOut);

        Stage($"Adapting by imperative learning on '{plan.TargetDomain}' ({plan.AdaptSteps} steps, clips of 5, no labels)");
        var losses = new List<(int Step, double Loss)>();
        var training = new TrainingOptions { Steps = plan.AdaptSteps, LearningRate = plan.AdaptLearningRate, CheckpointEvery = plan.AdaptSteps, Seed = plan.Seed };
        var loop = new TrainingLoop(matcher, LearnedModels.Architecture(ModelSpec.Parse(startSpec)), training) { Notice = m => console.MarkupLine($"  [yellow]{Markup.Escape(m)}[/]") };
        TrainingSummary adaptation = null!;
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new RemainingTimeColumn(), new SpinnerColumn()).Start(ctx =>
        {
            var task = ctx.AddTask("adapting", maxValue: plan.AdaptSteps);
            // Each demo run adapts afresh; the folder keeps only the latest adaptation.
            adaptation = loop.Run(new Trainer(adaptationFrames, new TrainerOptions()), new RunFolder(Path.Combine(outputDirectory, "adapt")).Start(RunMode.Overwrite),
                new InlineProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Step;
                    if (p.Loss is { } loss) losses.Add((p.Step, loss));
                    task.Description = p.Loss is { } l
                        ? string.Create(CultureInfo.InvariantCulture, $"step {p.Step} loss {l:E3}, {p.Value(Trainer.Observations) ?? 0} surviving predictions")
                        : $"step {p.Step} skipped ({p.LastSkip})";
                }));
        });
        matcher.Train(false);

        Stage("Evaluating after adaptation");
        var after = Evaluate("after", new DifferentiablePairMatcher(matcher), heldOut);

        var result = new DemoResult(sift, before, after, adaptation, clock.Elapsed.TotalSeconds);
        WriteReport(result, losses);
        return result;
    }

    private ModelEvaluation Evaluate(string name, IPairMatcher matcher, IReadOnlyList<EvaluationPair> pairs)
    {
        IReadOnlyList<PairResult> results = [];
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn()).Start(ctx =>
        {
            var task = ctx.AddTask($"{name}: {pairs.Count} pairs", maxValue: pairs.Count);
            results = MatcherEvaluation.Run(matcher, pairs, new ProgressTaskReporter(task));
        });
        return new ModelEvaluation(name, results);
    }

    private void WriteReport(DemoResult result, IReadOnlyList<(int Step, double Loss)> losses)
    {
        string folder = Path.Combine(outputDirectory, "report");
        var written = new HtmlReport
        {
            Title = $"imatching demo: {plan.Model} adapted from '{plan.SourceDomain}' to '{plan.TargetDomain}'",
            CommandLine = CommandLine,
            Models = [result.Sift, result.Before, result.After],
            Notes = [.. DemoTable.Gains(result)],
            Losses = losses,
            LossTitle = $"Imperative learning on '{plan.TargetDomain}'",
        }.Write(folder);
        console.MarkupLine($"  report: {written.Count} files in {Markup.Escape(folder)}, open index.html");
    }

    private void Stage(string text) => console.MarkupLine($"[bold]> {Markup.Escape(text)}[/]");
}
