using IMatching.Geometry;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Matching;

namespace IMatching.Learning.Models;

/// <summary>
/// <c>ckpt:PATH</c>, PATH a training run (its best checkpoint, else its latest) or one checkpoint folder: the
/// architecture named in its state.json, with its model.pth loaded.
/// </summary>
public sealed class CheckpointModels : ModelFamily
{
    public const string Name = "ckpt";

    public override IEnumerable<ModelName> Names => [new ModelName(Name, MatchingHead.Own)];

    /// <summary>The architecture the checkpoint at <paramref name="path"/> records (what it rebuilds).</summary>
    public static string Architecture(string path) => Checkpoint.ReadState(CheckpointFolders.Resolve(path)).Model;

    public override IDifferentiableMatcher CreateDifferentiable(ModelName name, string? weights, MatcherContext context)
    {
        string folder = CheckpointFolders.Resolve(weights ?? throw new UserInputException($"model '{Name}'", $"needs a run or checkpoint folder: {Name}:PATH"));
        var state = Checkpoint.ReadState(folder);
        // The head is rebuilt as it was trained unless the caller names another window centre.
        var matcher = LearnedModels.CreateDifferentiable(ModelSpec.Parse(state.Model),
            context with { RandomInitialization = true, WindowCentre = context.WindowCentre ?? state.TrainedWindowCentre });
        Checkpoint.LoadWeights(folder, matcher.Network);
        return matcher;
    }
}
