using System.Text.Json;
using IMatching.Cli;

using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

[Collection("Console")]
public class EvalCommandTests
{

    private static string Graf => Path.Combine(RepoPaths.Shared, "data", "graf");
    private static readonly string[] PixelKeys = ["1", "2", "3", "5", "10"];

    [Fact]
    [Trait("Category", "Long")]
    public void ScoresSiftOnGrafAndWritesJsonCsvAndReport()
    {
        var folder = Directory.CreateTempSubdirectory("imatching-eval-").FullName;
        try
        {
            string json = Path.Combine(folder, "eval.json"), csv = Path.Combine(folder, "eval.csv"), report = Path.Combine(folder, "report");
            var (code, text, err) = CliRunner.Run("eval", "--data", $"homography:{Graf}", "--model", "sift", "--json", json, "--csv", csv, "--report", report);
            Assert.True(code == 0, err);
            Assert.Contains("MMA@3", text);

            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(["1-2", "1-3", "1-4", "1-5", "1-6", null], results.Select(r => r.GetProperty("pair").GetString()));
            foreach (var r in results)
            {
                Assert.Equal("sift", r.GetProperty("model").GetString());
                Assert.Equal("graf", r.GetProperty("dataset").GetString());
                var mma = r.GetProperty("mma");
                Assert.Equal(PixelKeys, mma.EnumerateObject().Select(p => p.Name));
                Assert.All(mma.EnumerateObject(), p => Assert.InRange(p.Value.GetDouble(), 0, 1));
                Assert.Equal(JsonValueKind.Null, r.GetProperty("epipolar").ValueKind);
                Assert.Equal(JsonValueKind.Null, r.GetProperty("auc").ValueKind);
                Assert.True(r.GetProperty("matches").GetDouble() > 0);
                Assert.True(r.GetProperty("seconds_per_pair").GetDouble() > 0);
            }
            // The mildest viewpoint change is easy for SIFT; the curve never falls as the threshold grows.
            Assert.True(results[0].GetProperty("mma").GetProperty("3").GetDouble() > 0.8);
            var aggregate = results[^1].GetProperty("mma").EnumerateObject().Select(p => p.Value.GetDouble()).ToList();
            Assert.Equal(aggregate.Order(), aggregate);

            var lines = File.ReadAllLines(csv);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("model,dataset,pairs,mma@1", lines[0]);
            Assert.StartsWith("sift,graf,5,", lines[1]);

            Assert.True(new FileInfo(Path.Combine(report, "mma.png")).Length > 0);
            Assert.Equal(3, Directory.GetFiles(report, "matches_sift_graf_*.png").Length);
            Assert.False(File.Exists(Path.Combine(report, "auc.png")), "a homography set has no poses");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void UnknownModelIsAClearError()
    {
        var (code, _, err) = CliRunner.Run("eval", "--data", $"homography:{Graf}", "--model", "sift", "--model", "superglue");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("superglue", err);
        Assert.Contains("sift", err);
    }

    [Theory]
    [InlineData("nosuchkind:/tmp", "nosuchkind")]
    [InlineData("homography:/nonexistent/graf", "/nonexistent/graf")]
    [InlineData("tum:/nonexistent/sequence", "/nonexistent/sequence")]
    [InlineData("graf", "KIND:PATH")]
    public void BadDataSpecsAreClearErrors(string spec, string named)
    {
        var (code, _, err) = CliRunner.Run("eval", "--data", spec, "--model", "orb");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains(named, err);
    }

    [Fact]
    public void BadGapsAndMissingOutputFoldersStopBeforeMatching()
    {
        var (code, _, err) = CliRunner.Run("eval", "--data", $"homography:{Graf}", "--model", "orb", "--gaps", "1,x");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("'x'", err);

        (code, _, err) = CliRunner.Run("eval", "--data", $"homography:{Graf}", "--model", "orb", "--json", "/nonexistent/folder/eval.json");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("/nonexistent/folder", err);
    }

    [Fact]
    public void ASequenceShorterThanEveryGapHasNoPairs()
    {
        var tum = Path.Combine(RepoPaths.Shared, "data", "tum_fr2_desk");
        var (code, _, err) = CliRunner.Run("eval", "--data", $"tum:{tum}#0-2", "--model", "orb", "--gaps", "5,10");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("no pairs", err);
    }
}
