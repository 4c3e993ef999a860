using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IMatching.Geometry;
using IMatching.Geometry.Trajectories;
using IMatching.Vision.Datasets;
using IMatching.Vision.Mapping;
using IMatching.Vision.Matching;
using Spectre.Console;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching map</c>: matches a sequence, maps it incrementally and writes the trajectory.</summary>
public static class MapCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Sequence, e.g. tum:PATH, kitti:PATH#0-20, folder:PATH, video:FILE.", Required = true };
        var model = new Option<string>("--model") { Description = "Matcher: sift or orb.", DefaultValueFactory = _ => "sift" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the trajectory here (TUM format: timestamp tx ty tz qx qy qz qw, camera-to-world)." };
        var features = new Option<int>("--max-features") { Description = "Features per image for sift/orb.", DefaultValueFactory = _ => 4000 };
        var gaps = new Option<string>("--gaps") { Description = "Each frame is matched with the frames this many before it.", DefaultValueFactory = _ => "1,2" };
        var threads = new Option<int>("--threads") { Description = "Bundle adjustment threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the text report." };
        var command = new Command("map", "Map a sequence: pairwise matches, essential-matrix initialisation, PnP, robust bundle adjustment; reports ATE when the data has ground truth.")
        {
            data, model, output, features, gaps, threads, json,
        };
        command.SetAction(parse => Run(parse.GetValue(data)!, parse.GetValue(model)!, parse.GetValue(output), parse.GetValue(features),
            parse.GetValue(gaps)!, parse.GetValue(threads), parse.GetValue(json)));
        return command;
    }

    private static int Run(string dataSpec, string modelSpec, FileInfo? output, int maxFeatures, string gapList, int threads, bool json)
    {
        OptionValues.AtLeast(maxFeatures, 1, "--max-features");
        OptionValues.AtLeast(threads, 1, "--threads");
        var frameGaps = OptionValues.FrameGaps(gapList);
        if (!ClassicalMatchers.TryCreate(modelSpec, maxFeatures, out var matcher))
            throw new UserInputException($"--model '{modelSpec}'", $"not available for mapping (available: {string.Join(", ", ClassicalMatchers.Names)})");
        OutputPaths.RequireWritableFile(output, "--out");
        var sequence = DataSpec.Parse(dataSpec).OpenSequence();
        if (sequence.Count < 2) throw new UserInputException(dataSpec, $"has {sequence.Count} frame(s); mapping needs at least 2");
        if (frameGaps.Min() >= sequence.Count)
            throw new UserInputException($"--gaps {gapList}", $"every gap is as long as {sequence.Name} ({sequence.Count} frames) or longer, so no frames are matched");
        var options = new MapperOptions { NumThreads = threads };

        SequenceMap result = null!;
        if (json)
        {
            result = SequenceMapping.Run(sequence, matcher!, options, frameGaps);
        }
        else
        {
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"matching {sequence.Count} frames ({matcher!.Name})");
                    result = SequenceMapping.Run(sequence, matcher!, options, frameGaps, new ProgressTaskReporter(task));
                    task.Value = task.MaxValue;
                });
        }

        if (!result.Outcome.Succeeded)
            throw new UserInputException(dataSpec, $"mapping {sequence.Name} failed: {result.Outcome.Failure!.Reason}: {result.Outcome.Failure.Detail}");
        var map = result.Outcome.Map!;
        var trajectory = result.Trajectory();
        if (output is not null) TumTrajectoryFormat.Write(trajectory, output.FullName);

        AbsoluteTrajectoryError? ate = null;
        RelativePoseError? rpe = null;
        string? noAte = null;
        if (result.GroundTruth() is { } gt && trajectory.Count >= 3)
        {
            var pairs = TrajectoryAssociation.Associate(trajectory, gt);
            // A camera that barely moved (or a degenerate map) has no Sim(3) alignment: say so instead of printing noise.
            noAte = AbsoluteTrajectoryError.Degeneracy(pairs);
            if (noAte is null)
            {
                ate = AbsoluteTrajectoryError.Compute(pairs, TrajectoryAlignment.Sim3);
                rpe = RelativePoseError.Compute(pairs, 1, ate.GroundTruthFromEstimate.Scale);
            }
        }
        var matches = result.Pairs.Sum(p => p.Count);
        if (json)
        {
            var report = new Dictionary<string, object?>
            {
                ["data"] = dataSpec,
                ["model"] = matcher!.Name,
                ["frames"] = sequence.Count,
                ["registered_frames"] = map.RegisteredFrames,
                ["pairs"] = result.Pairs.Count,
                ["matches"] = matches,
                ["landmarks"] = map.Landmarks.Length,
                ["observations"] = map.Observations.Length,
                ["inlier_ratio"] = map.InlierRatio,
                ["inlier_rms_px"] = map.InlierRmsPx,
                ["ate_rmse"] = ate?.Translation.Rmse,
                ["rpe_translation_rmse"] = rpe?.Translation.Rmse,
                ["rpe_rotation_rmse_deg"] = rpe?.RotationDegrees.Rmse,
                ["trajectory"] = output?.FullName,
            };
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(c, $"{sequence.Name}: {map.RegisteredFrames}/{sequence.Count} frames registered, {result.Pairs.Count} pairs, {matches} matches"));
            Console.WriteLine(string.Create(c, $"landmarks {map.Landmarks.Length}, observations {map.Observations.Length}, inliers {map.InlierRatio:P1}, inlier reprojection RMS {map.InlierRmsPx:F3} px"));
            if (noAte is not null) Console.WriteLine($"no ATE: {noAte}");
            if (ate is not null && rpe is not null)
                Console.WriteLine(string.Create(c, $"ATE (Sim(3)-aligned) RMSE {ate.Translation.Rmse:F4} m, max {ate.Translation.Max:F4} m; RPE (1 frame) {rpe.Translation.Rmse:F4} m, {rpe.RotationDegrees.Rmse:F3} deg"));
            if (output is not null) Console.WriteLine($"trajectory written to {output.FullName}");
        }
        return 0;
    }
}
