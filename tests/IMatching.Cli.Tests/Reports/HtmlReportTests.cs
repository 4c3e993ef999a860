using IMatching.Cli.Reports;
using IMatching.Cli.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Cli.Tests.Reports;

/// <summary>The report page: what it contains, that it needs no network, and that a real browser shows it without errors.</summary>
[Collection("Console")]
public class HtmlReportTests
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(90);

    [ChromiumFact]
    public async Task EvalReportRendersInChromiumWithoutErrors()
    {
        string folder = Directory.CreateTempSubdirectory("imatching-report-").FullName;
        try
        {
            var (code, output, error) = CliRunner.Run("eval", "--data", $"homography:{Path.Combine(RepoPaths.Shared, "data", "graf")}",
                "--model", "sift", "--model", "orb", "--max-features", "300", "--report", folder);
            Assert.True(code == 0, output + error);
            string index = Path.Combine(folder, "index.html");
            string html = File.ReadAllText(index);
            AssertOffline(html);
            Assert.Contains("<th>sift</th><td class=\"text\">graf</td>", html);
            Assert.Contains("<th>orb</th><td class=\"text\">graf</td>", html);
            Assert.Contains("alt=\"mma\" src=\"data:image/png;base64,", html);
            Assert.Equal(6, CountOf(html, "src=\"data:image/jpeg;base64,"));
            Assert.Contains("imatching eval --data homography:", html);

            var page = await HeadlessChromium.RenderAsync(index, 1280, 1400, BrowserTimeout);
            Assert.True(page.Errors.Count == 0, string.Join("\n", page.Errors));
            Assert.True(GreyStdDev(page.ScreenshotPng) > 30, "the screenshot is (nearly) blank");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The browser check itself: a missing image is an error, and an empty page is blank.</summary>
    [ChromiumFact]
    public async Task BrowserCheckCatchesBrokenAndBlankPages()
    {
        string folder = Directory.CreateTempSubdirectory("imatching-report-").FullName;
        try
        {
            string broken = Path.Combine(folder, "broken.html");
            File.WriteAllText(broken, "<!DOCTYPE html><html><body><h1>x</h1><img src=\"missing.png\"><script>console.error('boom')</script></body></html>");
            var page = await HeadlessChromium.RenderAsync(broken, 400, 300, BrowserTimeout);
            Assert.Contains(page.Errors, e => e.Contains("boom", StringComparison.Ordinal));
            Assert.Contains(page.Errors, e => e.Contains("missing.png", StringComparison.Ordinal));

            string blank = Path.Combine(folder, "blank.html");
            File.WriteAllText(blank, "<!DOCTYPE html><html><body></body></html>");
            Assert.True(GreyStdDev((await HeadlessChromium.RenderAsync(blank, 400, 300, BrowserTimeout)).ScreenshotPng) < 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TrainingReportHasCurvesAndEscapesText()
    {
        string folder = Directory.CreateTempSubdirectory("imatching-report-").FullName;
        try
        {
            var written = new HtmlReport
            {
                Title = "train <b>run</b>",
                CommandLine = "imatching train --model 'caps:a&b.pth'",
                Notes = ["best at step 4"],
                Losses = [.. Enumerable.Range(1, 12).Select(s => (s, 1.0 / s))],
                Validation = [(4, 0.41), (8, 0.47), (12, 0.45)],
                ValidationMetric = "mma@3",
            }.Write(folder);

            Assert.Equal(["loss.png", "validation.png", "index.html"], written.Select(Path.GetFileName));
            string html = File.ReadAllText(Path.Combine(folder, "index.html"));
            AssertOffline(html);
            Assert.Contains("train &lt;b&gt;run&lt;/b&gt;", html);
            Assert.Contains("caps:a&amp;b.pth", html);
            Assert.Contains("alt=\"loss\" src=\"data:image/png;base64,", html);
            Assert.Contains("alt=\"validation\" src=\"data:image/png;base64,", html);
            Assert.Contains("<tr><td>8</td><td>0.4700</td></tr>", html);
            Assert.DoesNotContain("<h2>Results</h2>", html);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void CommandLineIsQuotedForTheShell()
    {
        var parse = Program.BuildRoot().Parse(["eval", "--data", "homography:/data/my graf", "--model", "sift", "--report", "out"]);
        Assert.Equal("imatching eval --data 'homography:/data/my graf' --model sift --report out", ReportCommandLine.Of(parse));
    }

    /// <summary>Everything is inline: no URL a browser would fetch (scripts, styles, images, fonts).</summary>
    private static void AssertOffline(string html)
    {
        foreach (var pattern in new[] { "http://", "https://", "src=\"file:", "url(" })
            Assert.DoesNotContain(pattern, html, StringComparison.OrdinalIgnoreCase);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static double GreyStdDev(byte[] png)
    {
        using var image = Cv2.ImDecode(png, ImreadModes.Grayscale);
        Assert.False(image.Empty(), "the screenshot is not a PNG");
        Cv2.MeanStdDev(image, out _, out var stdDev);
        return stdDev.Val0;
    }
}
