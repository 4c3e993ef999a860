using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IMatching.Geometry;
using IMatching.Geometry.Trajectories;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching eval-traj</c>: absolute trajectory and relative pose errors of an estimate against ground truth (TUM files).</summary>
public static class EvalTrajCommand
{
    public static Command Create()
    {
        var est = new Option<FileInfo>("--est") { Description = "Estimated trajectory, TUM format (timestamp tx ty tz qx qy qz qw, camera-to-world).", Required = true };
        var gt = new Option<FileInfo>("--gt") { Description = "Ground-truth trajectory, TUM format.", Required = true };
        var align = new Option<string>("--align")
        {
            Description = "Alignment before ATE: sim3 (with scale, for monocular estimates; RPE then uses that scale too) or se3 (rigid).",
            DefaultValueFactory = _ => "sim3",
        };
        align.AcceptOnlyFromAmong("sim3", "se3");
        var maxDt = new Option<double>("--max-dt")
        {
            Description = "Largest time difference in seconds for associating an estimated pose with a ground-truth pose.",
            DefaultValueFactory = _ => TrajectoryAssociation.DefaultMaxDifferenceSeconds,
        };
        var delta = new Option<int>("--delta") { Description = "RPE frame distance, in matched poses.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the text report." };

        var command = new Command("eval-traj", "Trajectory accuracy: ATE after Sim(3)/SE(3) Umeyama alignment and RPE, as in the TUM RGB-D benchmark.")
        {
            est, gt, align, maxDt, delta, json,
        };
        command.SetAction(parse =>
        {
            var alignment = parse.GetValue(align) == "se3" ? TrajectoryAlignment.Se3 : TrajectoryAlignment.Sim3;
            return Run(parse.GetValue(est)!, parse.GetValue(gt)!, alignment, parse.GetValue(maxDt), parse.GetValue(delta), parse.GetValue(json));
        });
        return command;
    }

    private static int Run(FileInfo estFile, FileInfo gtFile, TrajectoryAlignment alignment, double maxDt, int delta, bool json)
    {
        if (!(maxDt >= 0) || !double.IsFinite(maxDt))
            throw new UserInputException(FormattableString.Invariant($"--max-dt {maxDt}"), "must be a non-negative number of seconds");
        OptionValues.AtLeast(delta, 1, "--delta");
        var estimated = TumTrajectoryFormat.Read(estFile.FullName);
        var groundTruth = TumTrajectoryFormat.Read(gtFile.FullName);
        var pairs = TrajectoryAssociation.Associate(estimated, groundTruth, maxDt);
        int needed = Math.Max(3, delta + 1);
        if (pairs.Count < needed)
            throw new UserInputException(estFile.FullName, FormattableString.Invariant(
                $"only {pairs.Count} poses have a ground-truth pose in {gtFile.FullName} within {maxDt} s; at least {needed} are needed (check the timestamps or --max-dt)"));
        // Coinciding or collinear centres leave the alignment undetermined: its scale and ATE would be noise.
        if (AbsoluteTrajectoryError.Degeneracy(pairs) is { } degenerate)
            throw new UserInputException($"{estFile.FullName} against {gtFile.FullName}", $"cannot align the trajectories: {degenerate}");
        var ate = AbsoluteTrajectoryError.Compute(pairs, alignment);
        var rpe = RelativePoseError.Compute(pairs, delta, ate.GroundTruthFromEstimate.Scale);

        if (json)
        {
            var result = new Dictionary<string, object>
            {
                ["estimated"] = estFile.FullName,
                ["ground_truth"] = gtFile.FullName,
                ["estimated_poses"] = estimated.Count,
                ["ground_truth_poses"] = groundTruth.Count,
                ["matched_poses"] = pairs.Count,
                ["alignment"] = alignment == TrajectoryAlignment.Sim3 ? "sim3" : "se3",
                ["scale"] = ate.GroundTruthFromEstimate.Scale,
                ["ate_rmse"] = ate.Translation.Rmse,
                ["ate_mean"] = ate.Translation.Mean,
                ["ate_median"] = ate.Translation.Median,
                ["ate_max"] = ate.Translation.Max,
                ["rpe_delta"] = rpe.Delta,
                ["rpe_pairs"] = rpe.Translation.Count,
                ["rpe_translation_rmse"] = rpe.Translation.Rmse,
                ["rpe_rotation_rmse_deg"] = rpe.RotationDegrees.Rmse,
            };
            Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine($"Estimated:    {estFile.FullName} ({estimated.Count} poses)");
            Console.WriteLine($"Ground truth: {gtFile.FullName} ({groundTruth.Count} poses)");
            Console.WriteLine(string.Create(c, $"Matched poses: {pairs.Count} (max dt {maxDt} s)"));
            Console.WriteLine(string.Create(c, $"Alignment: {(alignment == TrajectoryAlignment.Sim3 ? "Sim(3)" : "SE(3)")}, scale {ate.GroundTruthFromEstimate.Scale:G6}"));
            Console.WriteLine(string.Create(c,
                $"ATE (ground-truth units): rmse {ate.Translation.Rmse:G6}  mean {ate.Translation.Mean:G6}  median {ate.Translation.Median:G6}  max {ate.Translation.Max:G6}"));
            Console.WriteLine(string.Create(c,
                $"RPE over {rpe.Delta} frame(s), {rpe.Translation.Count} pairs: translation rmse {rpe.Translation.Rmse:G6}, rotation rmse {rpe.RotationDegrees.Rmse:G6} deg"));
        }
        return 0;
    }
}
