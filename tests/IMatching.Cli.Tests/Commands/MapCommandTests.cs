using System.Text.Json;
using IMatching.Cli;

using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

[Collection("Console")]
public class MapCommandTests
{

    private static string Tum => Path.Combine(RepoPaths.Shared, "data", "tum_fr2_desk");

    [Fact]
    [Trait("Category", "Long")]
    public void MapsAShortTumRangeAndWritesItsTrajectory()
    {
        var output = Path.Combine(Path.GetTempPath(), $"imatching-map-{Guid.NewGuid():N}.txt");
        try
        {
            var (code, text, err) = CliRunner.Run("map", "--data", $"tum:{Tum}#0-7", "--out", output, "--json", "--threads", "1");
            Assert.True(code == 0, err);
            using var json = JsonDocument.Parse(text);
            Assert.Equal(8, json.RootElement.GetProperty("registered_frames").GetInt32());
            Assert.True(json.RootElement.GetProperty("ate_rmse").GetDouble() < 0.01);
            Assert.Equal(9, File.ReadAllLines(output).Length); // header + 8 poses
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void UnknownModelAndBadDataAreClearErrors()
    {
        var (code, _, err) = CliRunner.Run("map", "--data", $"tum:{Tum}", "--model", "superglue");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("superglue", err);

        (code, _, err) = CliRunner.Run("map", "--data", "tum:/nonexistent/sequence");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("/nonexistent/sequence", err);

        (code, _, err) = CliRunner.Run("map", "--data", "nosuchkind:/tmp");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("nosuchkind", err);
    }
}
