using IMatching.Cli.Tests.TestSupport;
using IMatching.Learning.Checkpoints;
using IMatching.Vision.Synthetic;
using static TorchSharp.torch;

namespace IMatching.Cli.Tests.Commands;

/// <summary><c>imatching train</c>: option errors and run-folder rules, each stopped before any training.</summary>
[Collection("Console")]
public class TrainCommandTests
{
    private static readonly Lazy<string> Rendered = new(() =>
    {
        string folder = Path.Combine(Temp(), "office");
        SyntheticSequence.Render("office", 3, 64, 48, 1, folder);
        return folder;
    });

    private static string Weights => Path.Combine(RepoPaths.Shared, "weights", "alike", "alike-t.pth");

    private static string Temp() => Directory.CreateTempSubdirectory("imatching-train-cli-").FullName;

    private static (int Code, string Out, string Err) Train(string output, params string[] extra) =>
        CliRunner.Run(["train", "--data", $"tum:{Rendered.Value}", "--model", $"alike-t+exp:{Weights}", "--clip-length", "3", "--out", output, .. extra]);

    /// <summary>A run folder holding one tiny checkpoint.</summary>
    private static string FinishedRun()
    {
        var run = new RunFolder(Temp());
        using var network = nn.Linear(2, 1);
        using var optimizer = optim.Adam(network.parameters());
        run.Save(network, optimizer, new TrainingState(1, 0, "alike-t+exp", [], null, null, 0), keep: 2);
        return run.Path;
    }

    [Theory]
    [InlineData("--steps", "0", "--steps 0 must be at least 1")]
    [InlineData("--accumulate", "0", "--accumulate 0 must be at least 1")]
    [InlineData("--max-features", "0", "--max-features 0 must be at least 1")]
    [InlineData("--lr", "-1", "--lr -1 is not positive")]
    [InlineData("--threads", "0", "--threads 0 is not positive")]
    public void Bad_options_are_named(string option, string value, string message)
    {
        var (code, _, err) = Train(Temp(), option, value);
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void Overwrite_and_resume_together_are_refused()
    {
        var (code, _, err) = Train(Temp(), "--resume", "--overwrite");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("--overwrite starts a new run", err);
    }

    [Fact]
    public void A_new_run_into_a_finished_one_needs_resume_or_overwrite()
    {
        var (code, _, err) = Train(FinishedRun());
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("already holds a run", err);
        Assert.Contains(Checkpoint.Name(1), err);
    }

    [Fact]
    public void Resume_into_a_folder_without_latest_says_what_is_there()
    {
        string output = Temp();
        File.WriteAllText(Path.Combine(output, "notes.txt"), "");
        var (code, _, err) = Train(output, "--resume");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("no 'latest'", err);
        Assert.Contains("notes.txt", err);
    }

    [Fact]
    public void A_truncated_latest_model_is_named_with_the_way_out()
    {
        string output = FinishedRun();
        string model = Path.Combine(new RunFolder(output).Latest()!, Checkpoint.ModelFile);
        File.WriteAllBytes(model, File.ReadAllBytes(model)[..20]);
        var (code, _, err) = Train(output, "--resume");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains(model, err);
        Assert.Contains("--overwrite", err);
    }
}
