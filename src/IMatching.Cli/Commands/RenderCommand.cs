using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using IMatching.Geometry;
using IMatching.Vision.Synthetic;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching render</c>: writes a synthetic sequence (images, depth, exact poses) in the TUM layout.</summary>
public static class RenderCommand
{
    public static Command Create()
    {
        var domain = new Option<string>("--domain")
        {
            Description = $"Appearance: {string.Join("; ", SyntheticDomains.Names.Select(n => $"{n} ({SyntheticDomains.Get(n).Description})"))}.",
            Required = true,
        };
        var frames = new Option<int>("--frames") { Description = "Number of frames (30 per second of camera motion).", DefaultValueFactory = _ => 100 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write (created if missing); read it back with tum:FOLDER.", Required = true };
        var width = new Option<int>("--width") { Description = "Image width in pixels.", DefaultValueFactory = _ => 640 };
        var height = new Option<int>("--height") { Description = "Image height in pixels.", DefaultValueFactory = _ => 480 };
        var seed = new Option<int>("--seed") { Description = "Room layout, textures and trajectory; the same seed gives the same bytes.", DefaultValueFactory = _ => 1 };
        var supersampling = new Option<int>("--supersampling") { Description = "Samples per pixel along each axis, against aliasing (2 = 2x2).", DefaultValueFactory = _ => 2 };
        var speed = new Option<double>("--speed") { Description = "Camera speed; 1 moves ~2.2 cm and ~0.8 degrees per frame.", DefaultValueFactory = _ => 1.0 };
        var command = new Command("render", "Render a synthetic sequence of a textured room with exact depth, poses and intrinsics (TUM layout).")
        {
            domain, frames, output, width, height, seed, supersampling, speed,
        };
        command.SetAction(parse => Run(parse.GetValue(domain)!, parse.GetValue(frames), parse.GetValue(output)!, parse.GetValue(width), parse.GetValue(height),
            parse.GetValue(seed), parse.GetValue(supersampling), parse.GetValue(speed)));
        return command;
    }

    private static int Run(string domain, int frames, DirectoryInfo output, int width, int height, int seed, int supersampling, double speed)
    {
        // Refuse bad options before the progress bar takes over the console.
        string name = SyntheticDomains.Get(domain).Name;
        OptionValues.AtLeast(frames, 1, "--frames");
        foreach (var (option, size) in new[] { ("--width", width), ("--height", height) })
            if (size < 8 || size > SyntheticSequence.MaxSize) throw new UserInputException($"{option} {size}", $"must be 8 to {SyntheticSequence.MaxSize} pixels");
        if (supersampling < 1 || supersampling > SyntheticSequence.MaxSupersampling)
            throw new UserInputException($"--supersampling {supersampling}", $"must be 1 to {SyntheticSequence.MaxSupersampling}");
        OptionValues.Positive(speed, "--speed");
        OutputPaths.RequireWritableFolder(output, "--out");
        var clock = Stopwatch.StartNew();
        RenderedSequence sequence = null!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"rendering {frames} frames ({name}, {width}x{height})", maxValue: frames);
                sequence = SyntheticSequence.Render(name, frames, width, height, seed, output.FullName, supersampling, speed, new ProgressTaskReporter(task));
            });
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sequence.Domain}: {frames} frames {width}x{height}, seed {seed}, written to {output.FullName} in {seconds:F1} s ({seconds / frames:F3} s/frame)"));
        Console.WriteLine($"read it with --data tum:{output.FullName}");
        return 0;
    }
}
