using IMatching.Cli;

using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

[Collection("Console")]
public class RenderCommandTests
{

    [Fact]
    public void Writes_the_requested_frames_in_the_tum_layout()
    {
        var folder = Directory.CreateTempSubdirectory("imatching-render-").FullName;
        try
        {
            var (code, text, err) = CliRunner.Run("render", "--domain", "desert", "--frames", "3", "--width", "64", "--height", "48", "--seed", "4", "--out", folder);

            Assert.True(code == 0, err);
            Assert.Contains("desert: 3 frames 64x48, seed 4", text);
            Assert.Equal(3, Directory.GetFiles(Path.Combine(folder, "rgb"), "*.png").Length);
            Assert.Equal(3, Directory.GetFiles(Path.Combine(folder, "depth"), "*.png").Length);
            foreach (string list in new[] { "rgb.txt", "depth.txt", "groundtruth.txt" })
                Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, list)).Count(l => !l.StartsWith('#')));
            Assert.True(File.Exists(Path.Combine(folder, "camera.txt")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Unknown_domains_and_bad_sizes_are_clear_errors()
    {
        var (code, _, err) = CliRunner.Run("render", "--domain", "mars", "--frames", "2", "--out", Path.GetTempPath());
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("known domains: office, underwater, night, desert", err);

        (code, _, err) = CliRunner.Run("render", "--domain", "office", "--frames", "0", "--out", Path.GetTempPath());
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("--frames 0: must be at least 1", err);
    }
}
