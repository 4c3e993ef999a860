using IMatching.Learning.Checkpoints;
using IMatching.Learning.Models;
using IMatching.Learning.Pretraining;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using TorchSharp;

namespace IMatching.Cli.Demo;

/// <summary>
/// Makes the demo's starting model: the network from random weights, supervised by random homographies of
/// the source domain's frames. A finished pretraining in the same folder is reused (resume finds it complete).
/// </summary>
public static class DemoPretraining
{
    public static string Run(DemoPlan plan, string folder)
    {
        torch.random.manual_seed(plan.Seed);
        var sequence = DataSpec.Parse(plan.SourceSpec).OpenSequence();
        var context = new MatcherContext { RandomInitialization = true, Queries = plan.PretrainQueries };
        using var matcher = LearnedModels.CreateDifferentiable(ModelSpec.Parse(plan.Model), context);
        var options = new PretrainerOptions { CropSize = (plan.Width / 2, plan.Height / 2) };
        var training = TrainingOptions.Pretraining with
        {
            Steps = plan.PretrainSteps,
            CheckpointEvery = Math.Max(1, plan.PretrainSteps / 4),
            ValidateEvery = plan.PretrainSteps,
            Seed = plan.Seed,
        };
        var run = new RunFolder(folder);
        new TrainingLoop(matcher, plan.Model, training).Run(new Pretrainer(sequence, options), run.Start(run.HoldsRun ? RunMode.Resume : RunMode.New));
        return $"ckpt:{folder}";
    }
}
