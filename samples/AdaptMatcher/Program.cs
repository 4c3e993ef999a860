// Sample: adapt a pretrained matcher to a video by imperative learning through the IMatching libraries (no CLI), and
// score it on held-out frames before and after. Training uses no labels; the held-out frames' poses only score.
// Run: dotnet run -c Release --project samples/AdaptMatcher -- [FRAMES] [WEIGHTS] [STEPS] [RUN_FOLDER]
//   FRAMES  data spec (default tum:../shared/data/tum_fr2_desk); frames 0-11 train, 12-19 are held out
//   WEIGHTS ALIKE weights (default ../shared/weights/alike/alike-t.pth; BSD-3, see that folder's LICENSE)
using System.Globalization;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;

string frames = args.ElementAtOrDefault(0) ?? "tum:../shared/data/tum_fr2_desk";
string weights = args.ElementAtOrDefault(1) ?? "../shared/weights/alike/alike-t.pth";
int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
string runFolder = args.ElementAtOrDefault(3) ?? Path.Combine(Path.GetTempPath(), "imatching-adapt-sample");

var training = DataSpec.Parse($"{frames}#0-11").OpenSequence();
var heldOut = EvaluationPairs.FromSpec(DataSpec.Parse($"{frames}#12-19"), [1, 3]);

// alike-t+exp: the ALIKE-T backbone with the differentiable expectation head; queries on a 32 px grid.
var spec = ModelSpec.Parse($"alike-t+exp:{weights}");
using var matcher = LearnedModels.CreateDifferentiable(spec, new MatcherContext { Queries = "grid:32" });
var before = Score("before", matcher, heldOut);

// The one training loop (optimiser, checkpoints, skips) driving the imperative-learning step (clips of 5, mapping, loss).
var loop = new TrainingLoop(matcher, LearnedModels.Architecture(spec), new TrainingOptions { Steps = steps, LearningRate = 1e-4, CheckpointEvery = steps, Seed = 0 });
var summary = loop.Run(new Trainer(training, new TrainerOptions()), new RunFolder(runFolder).Start(RunMode.Overwrite), new StepPrinter());
Console.WriteLine($"{summary.Updates} updates; checkpoint in {runFolder}");

matcher.Train(false); // evaluation never changes weights or batch-norm statistics
var after = Score("after", matcher, heldOut);
foreach (var (name, s) in new[] { ("before", before), ("after", after) })
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-6}  epipolar@2px {s.Epipolar?[1]:F3}  AUC@10 {s.Auc?[1]:F3}  matches/pair {s.MatchesPerPair:F0}  ({s.Pairs} pairs)"));

static EvaluationSummary Score(string name, IDifferentiableMatcher matcher, IReadOnlyList<EvaluationPair> pairs)
{
    matcher.Train(false);
    Console.WriteLine($"scoring {name} on {pairs.Count} held-out pairs");
    return new ModelEvaluation(name, MatcherEvaluation.Run(new DifferentiablePairMatcher(matcher), pairs)).Summary;
}

/// <summary>Prints each step as it ends (<see cref="Progress{T}"/> would print from the thread pool, out of order).</summary>
sealed class StepPrinter : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p) => Console.WriteLine(p.Loss is { } loss
        ? string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps}: loss {loss:E3}, {p.Value(Trainer.Observations)} surviving predictions")
        : $"step {p.Step}/{p.TotalSteps}: skipped ({p.LastSkip})");
}
