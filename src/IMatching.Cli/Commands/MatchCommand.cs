using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IMatching.Geometry;
using IMatching.Learning.Models;
using IMatching.Vision.Datasets;
using IMatching.Vision.Matching;
using OpenCvSharp;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching match</c>: matches two images with any model spec and draws the result.</summary>
public static class MatchCommand
{
    public static Command Create()
    {
        var first = new Argument<FileInfo>("IMG1") { Description = "Reference image: queries are chosen here." };
        var second = new Argument<FileInfo>("IMG2") { Description = "Image the queries are found in." };
        var model = new Option<string>("--model") { Description = "Model spec: sift, orb, alike-n:PATH, alike-n+exp:PATH, alike-n+reg:PATH, caps:PATH.", Required = true };
        var queries = new Option<string?>("--queries") { Description = "Query points of learned heads: alike-frozen:N (official ALIKE, frozen), alike:N (the model's own detector), sift:N, orb:N, fast:N or grid:S (default: the model's own)." };
        var device = new Option<string>("--device") { Description = "cpu | cuda | cuda:N | auto.", DefaultValueFactory = _ => "cpu" };
        var features = new Option<int>("--max-features") { Description = "Features per image (classical) or query points (learned).", DefaultValueFactory = _ => 1000 };
        var output = new Option<FileInfo?>("--out") { Description = "Write the two images side by side with the matches (PNG)." };
        var windowCentre = WindowCentreOption.Create();
        var command = new Command("match", "Match two images and report counts and timing; optionally draw the matches.")
        {
            first, second, model, queries, windowCentre, device, features, output,
        };
        command.SetAction(parse =>
        {
            var context = new MatcherContext
            {
                Device = parse.GetValue(device)!,
                MaxFeatures = OptionValues.AtLeast(parse.GetValue(features), 1, "--max-features"),
                Queries = parse.GetValue(queries),
                WindowCentre = WindowCentreOption.Parse(parse.GetValue(windowCentre)),
            };
            return Run(parse.GetValue(first)!, parse.GetValue(second)!, parse.GetValue(model)!, context, parse.GetValue(output));
        });
        return command;
    }

    private static int Run(FileInfo first, FileInfo second, string modelSpec, MatcherContext context, FileInfo? output)
    {
        OutputPaths.RequireWritableFile(output, "--out");
        if (output is not null && !Cv2.HaveImageWriter(output.FullName))
            throw new UserInputException($"--out {output.FullName}", "OpenCV writes no image format with this extension (use .png or .jpg)");
        using Mat imageA = FrameImageLoader.Load(first.FullName);
        using Mat imageB = FrameImageLoader.Load(second.FullName);
        var clock = Stopwatch.StartNew();
        IPairMatcher matcher = MatcherFactory.Create(modelSpec, context);
        try
        {
            double loadMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            Correspondences matches = matcher.Match(imageA, imageB, 0, 1);
            double matchMs = clock.Elapsed.TotalMilliseconds;

            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"{matcher.Name}: {matches.Count} matches between {first.Name} ({imageA.Width}x{imageA.Height}) and {second.Name} ({imageB.Width}x{imageB.Height})"));
            Console.WriteLine(string.Create(c, $"model loaded in {loadMs:F0} ms, matched in {matchMs:F0} ms"));
            if (matches.Count > 0)
                Console.WriteLine(string.Create(c, $"confidence: min {matches.Confidence.Min():G3}, median {matches.Confidence.Order().ElementAt(matches.Count / 2):G3}, max {matches.Confidence.Max():G3}"));
            if (output is not null)
            {
                using Mat drawing = MatchDrawing.SideBySide(imageA, imageB, matches);
                if (!Cv2.ImWrite(output.FullName, drawing)) throw new UserInputException($"--out {output.FullName}", "OpenCV could not write the picture");
                Console.WriteLine($"matches drawn to {output.FullName}");
            }
            return 0;
        }
        finally
        {
            (matcher as IDisposable)?.Dispose();
        }
    }
}
