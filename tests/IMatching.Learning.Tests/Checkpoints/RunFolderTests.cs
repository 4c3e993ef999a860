using IMatching.Geometry;
using IMatching.Learning.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Checkpoints;

/// <summary>The rules of a run folder, on tiny checkpoints of a one-layer network.</summary>
public class RunFolderTests
{
    private static string TempDir() => Directory.CreateTempSubdirectory("imatching-runfolder-").FullName;

    /// <summary>A run folder with checkpoints at the given steps, the last one latest.</summary>
    private static RunFolder WithCheckpoints(params int[] steps)
    {
        var run = new RunFolder(TempDir());
        using var network = nn.Linear(2, 1);
        using var optimizer = optim.Adam(network.parameters());
        foreach (int step in steps) run.Save(network, optimizer, new TrainingState(step, 0, "linear", [], null, null, 0), keep: 10);
        return run;
    }

    private static string Latest(RunFolder run, string file) => Path.Combine(run.Latest()!, file);

    [Fact]
    public void A_new_run_into_a_folder_holding_one_is_refused_and_overwrite_clears_it_first()
    {
        var run = WithCheckpoints(1, 2);
        var error = Assert.Throws<UserInputException>(() => run.Start(RunMode.New));
        Assert.Contains("already holds a run", error.Message);
        Assert.Contains("--overwrite", error.Message);

        File.WriteAllText(Path.Combine(run.Path, "notes.txt"), "mine");
        Assert.Null(run.Start(RunMode.Overwrite).ResumeFrom);
        Assert.False(run.HoldsRun);
        Assert.False(Directory.Exists(run.CheckpointsDirectory));
        Assert.True(File.Exists(Path.Combine(run.Path, "notes.txt")), "overwrite deleted a file the run did not write");
        Assert.Null(run.Start(RunMode.New).ResumeFrom);
    }

    [Fact]
    public void Resume_without_latest_says_what_the_folder_holds()
    {
        var empty = new RunFolder(TempDir());
        File.WriteAllText(Path.Combine(empty.Path, "notes.txt"), "");
        var error = Assert.Throws<UserInputException>(() => empty.Start(RunMode.Resume));
        Assert.Contains("no 'latest'", error.Message);
        Assert.Contains("notes.txt", error.Message);

        var missing = new RunFolder(Path.Combine(TempDir(), "nothing-here"));
        Assert.Contains("does not exist", Assert.Throws<UserInputException>(() => missing.Start(RunMode.Resume)).Message);
    }

    [Fact]
    public void Resume_returns_the_latest_intact_checkpoint()
    {
        var run = WithCheckpoints(1, 2);
        Assert.EndsWith(Checkpoint.Name(2), run.Start(RunMode.Resume).ResumeFrom);
    }

    [Theory]
    [InlineData(Checkpoint.ModelFile, "truncate", "truncated or not a PyTorch file")]
    [InlineData(Checkpoint.ModelFile, "empty", "empty")]
    [InlineData(Checkpoint.OptimizerFile, "garbage", "truncated or not a PyTorch file")]
    [InlineData(Checkpoint.StateFile, "garbage", "not a training state")]
    public void A_damaged_latest_checkpoint_is_named_and_passed_over_only_when_asked(string file, string damage, string message)
    {
        var run = WithCheckpoints(1, 2);
        string path = Latest(run, file);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "truncate" => bytes[..(bytes.Length / 2)],
            "empty" => [],
            _ => "not what was written"u8.ToArray(),
        });

        var error = Assert.Throws<UserInputException>(() => run.Start(RunMode.Resume).ResumeFrom);
        Assert.Contains(path, error.Message);
        Assert.Contains(message, error.Message);
        Assert.Contains($"--resume-fallback", error.Message);
        Assert.Contains(Checkpoint.Name(1), error.Message);

        var notices = new List<string>();
        Assert.EndsWith(Checkpoint.Name(1), run.Start(RunMode.ResumeWithFallback, notices.Add).ResumeFrom);
        Assert.Contains(path, Assert.Single(notices));
    }

    [Fact]
    public void Loading_a_damaged_model_file_names_it()
    {
        var run = WithCheckpoints(1);
        string path = Latest(run, Checkpoint.ModelFile);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..40]);
        using var network = nn.Linear(2, 1);
        var error = Assert.Throws<UserInputException>(() => Checkpoint.LoadWeights(run.Latest()!, network));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Temporary_folders_a_killed_run_left_are_removed_on_start()
    {
        var run = WithCheckpoints(1);
        string staleCheckpoint = Path.Combine(run.CheckpointsDirectory, $".tmp-{Checkpoint.Name(2)}-0123");
        Directory.CreateDirectory(staleCheckpoint);
        File.WriteAllText(Path.Combine(staleCheckpoint, Checkpoint.ModelFile), "half");
        string stalePointer = Path.Combine(run.Path, "latest.tmp-0123");
        File.WriteAllText(stalePointer, "step");

        Assert.EndsWith(Checkpoint.Name(1), run.Start(RunMode.Resume).ResumeFrom);
        Assert.False(Directory.Exists(staleCheckpoint));
        Assert.False(File.Exists(stalePointer));
    }
}
