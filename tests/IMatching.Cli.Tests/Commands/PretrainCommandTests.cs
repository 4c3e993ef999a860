using IMatching.Cli.Tests.TestSupport;
using IMatching.Vision.Synthetic;

namespace IMatching.Cli.Tests.Commands;

[Collection("Console")]
public class PretrainCommandTests
{
    [Theory]
    [InlineData("--size", "320by240", "--size '320by240': is not WxH")]
    [InlineData("--crop", "0x10", "--crop '0x10': is not WxH")]
    [InlineData("--model", "sift", "not differentiable")]
    public void Bad_options_stop_with_a_message_and_exit_code_2(string option, string value, string message)
    {
        var (code, _, err) = CliRunner.Run("pretrain", "--data", $"tum:{Frames()}", option, value, "--out", Temp());
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains(message, err);
    }

    [Fact]
    [Trait("Category", "Long")]
    public void A_short_run_writes_a_checkpoint_and_says_how_to_use_it()
    {
        string output = Temp();
        var (code, text, err) = CliRunner.Run("pretrain", "--data", $"tum:{Frames()}", "--steps", "2", "--queries", "grid:8", "--out", output,
            "--val", $"tum:{Frames()}", "--val-pairs", "2");
        Assert.True(code == 0, err);
        Assert.Contains("alike-t+exp: steps 1-2, 2 updates", text);
        Assert.Contains("held-out MMA@3px: best", text);
        Assert.Contains($"--model ckpt:{output}", text);
        Assert.True(File.Exists(Path.Combine(output, "best", "model.pth")));
    }

    private static readonly Lazy<string> Rendered = new(() =>
    {
        string folder = Path.Combine(Temp(), "office");
        SyntheticSequence.Render("office", 2, 64, 48, 1, folder);
        return folder;
    });

    private static string Frames() => Rendered.Value;

    private static string Temp() => Directory.CreateTempSubdirectory("imatching-pretrain-cli-").FullName;
}
