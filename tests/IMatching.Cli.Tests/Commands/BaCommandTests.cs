using System.Text.Json;
using IMatching.Cli;

using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

/// <summary>Runs <c>imatching ba</c> in-process with captured output; one class, so console capture never races.</summary>
[Collection("Console")]
public class BaCommandTests
{

    private static string TempFile(string contents)
    {
        var path = Path.Combine(Path.GetTempPath(), $"imatching-cli-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, contents);
        return path;
    }

    [Fact]
    public void GeneratedSceneIsSolvedAndComparedWithItsGroundTruth()
    {
        var (code, output, _) = CliRunner.Run("ba", "--json", "--threads", "1");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        foreach (var key in new[] { "initial_cost", "final_cost", "iterations", "termination", "solver_seconds", "cameras", "points", "observations" })
            Assert.True(root.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal("Convergence", root.GetProperty("termination").GetString());
        Assert.True(root.GetProperty("final_cost").GetDouble() < root.GetProperty("initial_cost").GetDouble());
        Assert.True(root.GetProperty("max_rotation_error_deg").GetDouble() < 0.2);
        // Its second camera keeps its distance to the first on a manifold of SE(3)'s, whatever a file's default.
        Assert.Equal("LeftSe3", root.GetProperty("pose_update").GetString());
    }

    [Fact]
    public void SmallBalFileGetsATextReportAndCanBeWrittenBack()
    {
        // Two cameras looking down -z at three points, observations slightly off.
        var input = TempFile("""
            2 3 6
            0 0 1.0 2.0
            0 1 -3.0 0.5
            0 2 0.2 -1.0
            1 0 1.5 2.2
            1 1 -2.5 0.4
            1 2 0.7 -1.1
            0 0 0 0 0 0 500 0 0
            0 0.01 0 0.5 0 0 500 0 0
            0.01 0.02 -5
            -0.03 0.005 -5.2
            0.004 -0.01 -4.9
            """);
        var output = input + ".out";
        try
        {
            var (code, text, err) = CliRunner.Run("ba", input, "--out", output);
            Assert.True(code is 0 or 1, err);
            Assert.Contains("Initial cost", text);
            Assert.Contains("Termination:", text);
            Assert.True(File.Exists(output));
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Fact]
    public void BothPoseUpdatesSolveTheSyntheticBalProblemToTheSameCost()
    {
        var path = Path.Combine(RepoPaths.Shared, "bal", "synthetic-6-2000.txt");
        var costs = new Dictionary<string, double>();
        // The file's own angle-axis numbers by default.
        foreach (var (arguments, update) in new[] { (new[] { "ba", path, "--json", "--threads", "1" }, "AngleAxis"),
                     (new[] { "ba", path, "--json", "--threads", "1", "--pose-update", "LeftSe3" }, "LeftSe3") })
        {
            var (code, output, err) = CliRunner.Run(arguments);
            Assert.True(code == 0, err);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(update, json.RootElement.GetProperty("pose_update").GetString());
            Assert.Equal("Convergence", json.RootElement.GetProperty("termination").GetString());
            costs[update] = json.RootElement.GetProperty("final_cost").GetDouble();
        }
        Assert.Equal(costs["AngleAxis"], costs["LeftSe3"], 1e-6 * costs["LeftSe3"]);
    }

    [Theory]
    [InlineData("1 1 1\n0 0 1 nan\n", "not finite")]
    [InlineData("1 1 1\n0 5 1 1\n", "outside")]
    [InlineData("1 1 2\n0 0 1 1\n", "truncated")]
    public void MalformedFilesFailWithTheFileAndLineNamed(string contents, string problem)
    {
        var path = TempFile(contents);
        try
        {
            var (code, _, err) = CliRunner.Run("ba", path);
            Assert.Equal(CliError.BadInput, code);
            Assert.Contains(path, err);
            Assert.Contains(problem, err);
            Assert.StartsWith("error: ", err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFileAndBadOptionsAreClearErrors()
    {
        var (code, _, err) = CliRunner.Run("ba", "/nonexistent/problem.txt");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("/nonexistent/problem.txt", err);

        (code, _, err) = CliRunner.Run("ba", "--robust", "tukey:1");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("unknown kind", err);

        (code, _, err) = CliRunner.Run("ba", "--pose-update", "AngleAxis");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("--pose-update AngleAxis", err);
        Assert.Contains("needs a FILE", err);
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var command in Program.BuildRoot().Subcommands)
        {
            var (code, output, _) = CliRunner.Run(command.Name, "--help");
            Assert.Equal(0, code);
            Assert.Contains("Usage:", output);
        }
    }
}
