using IMatching.Learning.Models;
using IMatching.Learning.Pretraining;
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
        var options = new PretrainerOptions
        {
            Steps = plan.PretrainSteps,
            CropSize = (plan.Width / 2, plan.Height / 2),
            CheckpointEvery = Math.Max(1, plan.PretrainSteps / 4),
            ValidateEvery = plan.PretrainSteps,
            Seed = plan.Seed,
        };
        new Pretrainer(matcher, plan.Model, sequence, options).Run(folder, resume: true);
        return $"ckpt:{folder}";
    }
}
