using System.Text.Json;
using IMatching.Cli.Tests.TestSupport;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Models;
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
    [InlineData("--steps", "-1", "--steps -1: must be at least 0")]
    [InlineData("--accumulate", "0", "--accumulate 0: must be at least 1")]
    [InlineData("--max-features", "0", "--max-features 0: must be at least 1")]
    [InlineData("--lr", "-1", "--lr -1: is not positive")]
    [InlineData("--threads", "0", "--threads 0: is not positive")]
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
        Assert.Contains("--overwrite: starts a new run", err);
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

    [Fact]
    public void Zero_steps_save_the_starting_model_as_step_0_the_control()
    {
        string output = Temp();
        var (code, _, err) = Train(output, "--steps", "0");
        Assert.True(code == 0, err);
        string latest = new RunFolder(output).Latest()!;
        Assert.EndsWith(Checkpoint.Name(0), latest);
        Assert.Null(Checkpoint.Problem(latest));
    }

    private static JsonElement Configuration(string runFolder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "config.json"))).RootElement;

    [Fact]
    public void A_configuration_file_supplies_every_option_and_the_command_line_overrides_it()
    {
        string first = Temp();
        var (code, _, err) = Train(first, "--frame-spacing", "5", "--seed", "7", "--lr", "0.002", "--window-centre", "nearest", "--adapt-batchnorm-only");
        Assert.True(code == CliError.BadInput, err);
        Assert.Contains("no clip of 3 frames at spacing 5", err);
        var written = Configuration(first);
        Assert.Equal("train", written.GetProperty("Command").GetString());
        Assert.Equal(5, written.GetProperty("Method").GetProperty("FrameSpacing").GetInt32());
        Assert.True(written.GetProperty("Versions").TryGetProperty("torchsharp", out _));
        Assert.Equal("Nearest", written.GetProperty("Context").GetProperty("WindowCentre").GetString());
        Assert.True(written.GetProperty("AdaptBatchNormOnly").GetBoolean());

        // Data, model, frame spacing and learning rate come from the file; --out and --seed from the command line.
        string second = Temp();
        (code, _, err) = CliRunner.Run("train", "--config", Path.Combine(first, "config.json"), "--out", second, "--seed", "8");
        Assert.True(code == CliError.BadInput, err);
        Assert.Contains("no clip of 3 frames at spacing 5", err);
        var again = Configuration(second);
        Assert.Equal(second, again.GetProperty("Output").GetString());
        Assert.Equal(8, again.GetProperty("Training").GetProperty("Seed").GetInt32());
        Assert.Equal(0.002, again.GetProperty("Training").GetProperty("LearningRate").GetDouble());
        Assert.Equal(written.GetProperty("Data").GetString(), again.GetProperty("Data").GetString());
        Assert.Equal(written.GetProperty("Model").GetString(), again.GetProperty("Model").GetString());
        Assert.Equal("Nearest", again.GetProperty("Context").GetProperty("WindowCentre").GetString());
        Assert.True(again.GetProperty("AdaptBatchNormOnly").GetBoolean());
    }

    [Fact]
    public void A_configuration_of_another_command_is_refused()
    {
        string file = Path.Combine(Temp(), "config.json");
        File.WriteAllText(file, """{ "Command": "pretrain", "Data": "x", "Model": "y", "Output": "z", "Training": {}, "Method": {}, "Context": {}, "Versions": {} }""");
        var (code, _, err) = CliRunner.Run("train", "--config", file);
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("configures 'pretrain', not 'train'", err);
    }

    [Fact]
    [Trait("Category", "Long")]
    public void The_configuration_file_repeats_the_run()
    {
        string first = Temp();
        var (code, text, err) = CliRunner.Run("train", "--data", "synthetic:office?frames=10&seed=3&size=160x120", "--model", $"alike-t+exp:{Weights}",
            "--out", first, "--steps", "2", "--clip-length", "4", "--max-features", "120", "--seed", "5", "--threads", "1");
        Assert.True(code == 0, err);
        string second = Temp();
        var (againCode, againText, againErr) = CliRunner.Run("train", "--config", Path.Combine(first, "config.json"), "--out", second);
        Assert.True(againCode == 0, againErr);

        static string Outcome(string output) => output.Split('\n').Single(l => l.StartsWith("steps 1-2:", StringComparison.Ordinal)).Split(" in ")[0]
            + output.Split("last loss")[1].Split('\n')[0];
        Assert.Equal(Outcome(text), Outcome(againText));
        Assert.Equal(Checkpoint.ReadState(new RunFolder(first).Latest()!).Skipped, Checkpoint.ReadState(new RunFolder(second).Latest()!).Skipped);
        using var trained = LearnedModels.CreateDifferentiable(ModelSpec.Parse($"ckpt:{first}"), new MatcherContext());
        using var repeated = LearnedModels.CreateDifferentiable(ModelSpec.Parse($"ckpt:{second}"), new MatcherContext());
        foreach (var (x, y) in trained.Parameters.Zip(repeated.Parameters))
            Assert.True(x.allclose(y, rtol: 0, atol: 0), "the repeated run trained other weights");
    }
}
