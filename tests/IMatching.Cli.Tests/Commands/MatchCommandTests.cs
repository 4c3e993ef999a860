using IMatching.Cli;
using OpenCvSharp;

using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

[Collection("Console")]
public class MatchCommandTests
{
    private static string Fixture => Path.Combine(RepoPaths.Shared, "fixtures", "alike", "tum0_320x240.png");
    private static string AlikeT => Path.Combine(RepoPaths.Shared, "weights", "alike", "alike-t.pth");

    [Fact]
    public void Matches_two_small_images_with_a_learned_head_and_draws_them()
    {
        string dir = Directory.CreateTempSubdirectory("imatching-match-").FullName;
        try
        {
            string second = Path.Combine(dir, "crop.png");
            using (Mat image = Cv2.ImRead(Fixture))
            using (Mat crop = image[new Rect(6, 4, 300, 220)])
                Cv2.ImWrite(second, crop);
            string output = Path.Combine(dir, "matches.png");

            var (code, text, err) = CliRunner.Run("match", Fixture, second, "--model", $"alike-t+exp:{AlikeT}", "--queries", "grid:32", "--out", output);

            Assert.True(code == 0, err);
            Assert.Contains("matches between tum0_320x240.png (320x240) and crop.png (300x220)", text);
            using Mat drawn = Cv2.ImRead(output);
            Assert.Equal((320 + 300, 240), (drawn.Width, drawn.Height));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Missing_and_corrupt_images_and_bad_specs_are_clear_errors()
    {
        var (code, _, err) = CliRunner.Run("match", "/nonexistent/a.png", Fixture, "--model", "sift");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("/nonexistent/a.png", err);

        string corrupt = Path.Combine(Path.GetTempPath(), $"imatching-corrupt-{Guid.NewGuid():N}.png");
        File.WriteAllText(corrupt, "not a png");
        try
        {
            (code, _, err) = CliRunner.Run("match", Fixture, corrupt, "--model", "sift");
            Assert.Equal(CliError.BadInput, code);
            Assert.Contains(corrupt, err);
        }
        finally
        {
            File.Delete(corrupt);
        }

        (code, _, err) = CliRunner.Run("match", Fixture, Fixture, "--model", "alike-s+exp");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("needs a weights file", err);

        (code, _, err) = CliRunner.Run("match", Fixture, Fixture, "--model", $"alike-t+exp:{AlikeT}", "--queries", "surf:5");
        Assert.Equal(CliError.BadInput, code);
        Assert.Contains("surf", err);
    }
}
