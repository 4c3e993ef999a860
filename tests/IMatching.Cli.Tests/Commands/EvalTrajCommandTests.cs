using System.Globalization;
using System.Text.Json;
using IMatching.Cli;

using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

/// <summary>Runs <c>imatching eval-traj</c> in-process on files it writes; shares the "Console" collection so console capture never races.</summary>
[Collection("Console")]
public sealed class EvalTrajCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imatching-evaltraj-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>
    /// Ground truth: a camera on a helix, identity orientation, at 10 Hz. Estimate: the same centres at half scale,
    /// stamped 5 ms later, with the last centre pushed 0.1 (0.05 in estimate units) along z.
    /// </summary>
    private (string Est, string Gt) WriteTrajectories()
    {
        var gt = new List<string> { "# timestamp tx ty tz qx qy qz qw" };
        var est = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            double x = Math.Cos(0.5 * i), y = Math.Sin(0.5 * i), z = 0.2 * i;
            gt.Add(string.Create(CultureInfo.InvariantCulture, $"{i * 0.1:R} {x:R} {y:R} {z:R} 0 0 0 1"));
            double pushed = i == 9 ? 0.1 : 0;
            est.Add(string.Create(CultureInfo.InvariantCulture, $"{i * 0.1 + 0.005:R} {x / 2:R} {y / 2:R} {(z + pushed) / 2:R} 0 0 0 1"));
        }
        return (WriteFile("est.txt", est), WriteFile("gt.txt", gt));
    }

    [Fact]
    public void MatchingTrajectoriesGiveNumbersInJson()
    {
        var (est, gt) = WriteTrajectories();
        var (code, output, err) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt, "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(10, root.GetProperty("matched_poses").GetInt32());
        Assert.Equal("sim3", root.GetProperty("alignment").GetString());
        Assert.Equal(2, root.GetProperty("scale").GetDouble(), 0.05);
        double rmse = root.GetProperty("ate_rmse").GetDouble();
        Assert.InRange(rmse, 1e-4, 0.1);
        Assert.True(root.GetProperty("ate_max").GetDouble() >= rmse);
        Assert.True(root.GetProperty("ate_median").GetDouble() <= root.GetProperty("ate_max").GetDouble());
        Assert.True(root.GetProperty("ate_mean").GetDouble() <= rmse);
        Assert.Equal(1, root.GetProperty("rpe_delta").GetInt32());
        Assert.Equal(9, root.GetProperty("rpe_pairs").GetInt32());
        Assert.InRange(root.GetProperty("rpe_translation_rmse").GetDouble(), 1e-3, 0.1);
        Assert.Equal(0, root.GetProperty("rpe_rotation_rmse_deg").GetDouble(), 1e-9);
    }

    [Fact]
    public void TextReportAndOptionsWork()
    {
        var (est, gt) = WriteTrajectories();
        var (code, output, err) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt, "--align", "se3", "--delta", "2", "--max-dt", "0.01");
        Assert.True(code == 0, err);
        Assert.Contains("Matched poses: 10", output);
        Assert.Contains("SE(3), scale 1", output);
        Assert.Contains("ATE", output);
        Assert.Contains("RPE over 2 frame(s), 8 pairs", output);

        // Rigid alignment cannot undo the half scale, so the error is far larger than with Sim(3).
        (_, output, _) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt, "--align", "se3", "--json");
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("ate_rmse").GetDouble() > 0.3);
    }

    [Fact]
    public void MalformedFileFailsWithFileAndLine()
    {
        var (est, _) = WriteTrajectories();
        var gt = WriteFile("bad.txt", ["# header", "0.0 0 0 0 0 0 0 1", "0.1 1 0 0 0 0 0.5 1"]);
        var (code, _, err) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt);
        Assert.Equal(CliError.BadInput, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains($"{gt}:3:", err);
        Assert.Contains("quaternion", err);
    }

    [Fact]
    public void UnmatchedTimestampsAndBadOptionsAreClearErrors()
    {
        var (est, gt) = WriteTrajectories();
        var (code, _, err) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt, "--max-dt", "0.001");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("only 0 poses", err);

        (code, _, err) = CliRunner.Run("eval-traj", "--est", est, "--gt", Path.Combine(_dir, "missing.txt"));
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("missing.txt", err);

        (code, _, err) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt, "--delta", "0");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("--delta", err);

        (code, _, _) = CliRunner.Run("eval-traj", "--est", est, "--gt", gt, "--align", "affine");
        Assert.NotEqual(0, code);
    }
}
