using IMatching.Geometry;
namespace IMatching.Learning.Checkpoints;

/// <summary>Finds the checkpoint a path means: a checkpoint folder itself, or a run folder's best, else its latest.</summary>
public static class CheckpointFolders
{
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, Checkpoint.ModelFile))) return path;
        var run = new RunFolder(path);
        if (File.Exists(Path.Combine(run.BestDirectory, Checkpoint.ModelFile))) return run.BestDirectory;
        if (Directory.Exists(path) && run.Latest() is { } latest) return latest;
        throw new UserInputException(path, "neither a checkpoint (model.pth, state.json) nor a training run with one");
    }
}
