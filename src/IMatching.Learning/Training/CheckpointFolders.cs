namespace IMatching.Learning.Training;

/// <summary>Finds the checkpoint a path means: a checkpoint folder itself, or a run folder's best, else its latest.</summary>
public static class CheckpointFolders
{
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, "model.pth"))) return path;
        var run = new TrainingCheckpoint(path);
        if (File.Exists(Path.Combine(run.BestDirectory, "model.pth"))) return run.BestDirectory;
        if (Directory.Exists(path) && run.Latest() is { } latest) return latest;
        throw new FileNotFoundException($"{path} is neither a checkpoint (model.pth, state.json) nor a training run with one.", path);
    }
}
