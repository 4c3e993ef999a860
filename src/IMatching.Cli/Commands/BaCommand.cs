using IMatching.Geometry.RobustLosses;
using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using IMatching.Geometry;
using IMatching.Geometry.Bal;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Lie;

namespace IMatching.Cli.Commands;

/// <summary><c>imatching ba</c>: solves a BAL file, or a generated scene with known ground truth.</summary>
public static class BaCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("FILE")
        {
            Description = "Problem in Bundle Adjustment in the Large format. Without it, a generated scene with ground truth and 10 % outliers is solved.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var robust = new Option<string>("--robust")
        {
            Description = "Robust loss: none, huber:SCALE or cauchy:SCALE (SCALE in pixels). Default: none for a file, huber:1 for the generated scene.",
        };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var linear = new Option<LinearSolverType>("--linear-solver")
        {
            Description = "Reduced camera system solver: Auto, DenseSchur or SparseSchur.",
            DefaultValueFactory = _ => LinearSolverType.Auto,
        };
        var maxIterations = new Option<int>("--max-iterations") { Description = "LM iteration limit.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the text report." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the solved problem here (BAL format; FILE input only)." };
        var poseUpdate = new Option<PoseUpdate?>("--pose-update")
        {
            Description = "How the solver moves each camera (FILE input only): AngleAxis, additive in the file's own angle-axis and translation " +
                "numbers, as Ceres' BAL example (Ceres' LM steps, step for step; the default), or LeftSe3, the left perturbation on SE(3).",
        };

        var command = new Command("ba", "Bundle adjustment: Levenberg-Marquardt with Schur elimination; prints a Ceres-style summary.")
        {
            file, robust, threads, linear, maxIterations, json, output, poseUpdate,
        };
        command.SetAction(parse => Run(parse.GetValue(file), parse.GetValue(robust), parse.GetValue(threads), parse.GetValue(linear),
            parse.GetValue(maxIterations), parse.GetValue(json), parse.GetValue(output), parse.GetValue(poseUpdate)));
        return command;
    }

    private static int Run(FileInfo? file, string? robust, int threads, LinearSolverType linear, int maxIterations, bool json, FileInfo? output,
        PoseUpdate? poseUpdate)
    {
        OptionValues.AtLeast(threads, 1, "--threads");
        OptionValues.AtLeast(maxIterations, 0, "--max-iterations");
        if (output is not null && file is null) throw new UserInputException($"--out {output.FullName}", "needs a FILE to solve (the generated scene is not written)");
        if (poseUpdate is not null && file is null)
            throw new UserInputException($"--pose-update {poseUpdate}", "needs a FILE to solve (the generated scene's second camera keeps its distance to the first on a manifold of its own)");
        // Before solving: a bad --out found afterwards would throw the solution away.
        OutputPaths.RequireWritableFile(output, "--out");
        var loss = OptionValues.RobustLoss(robust ?? (file is null ? "huber:1" : "none"));
        var options = new SolverOptions { NumThreads = threads, LinearSolver = linear, MaxIterations = maxIterations };
        string source;
        Summary summary;
        // A file's cameras move in its own angle-axis numbers, as Ceres moves them; the generated scene's gauge (FixScale)
        // needs SE(3).
        var update = poseUpdate ?? (file is null ? PoseUpdate.LeftSe3 : BalProblem.DefaultPoseUpdate);
        double? rotationErrorDeg = null, centreError = null;
        if (file is not null)
        {
            var bal = BalReader.Read(file.FullName);
            // The parse leaves megabytes of garbage on pages it has touched. Collected now, the problem and the solver's
            // buffers reuse those pages instead of faulting in fresh ones (a few microseconds each on this VM): a
            // cold solve and the whole process both finish sooner (README, Fresh pages).
            GC.Collect(0);
            var (problem, poses, intrinsics, points) = bal.ToProblem(loss, update);
            source = file.FullName;
            summary = Solver.Solve(problem, options);
            if (output is not null) BalWriter.Write(bal.WithSolution(poses, intrinsics, points), output.FullName);
        }
        else
        {
            var scene = SyntheticScene.Generate(cameras: 10, points: 3000, noisePx: 0.5, outlierFraction: 0.1);
            var (problem, poses, _, _) = scene.ToProblem(loss: loss);
            poses[0].CameraFromWorld = scene.CameraFromWorld[0];
            poses[1].CameraFromWorld = scene.CameraFromWorld[1];
            problem.SetConstant(poses[0]);
            problem.FixScale(poses[0], poses[1]);
            source = "generated scene (10 cameras, 3000 points, 0.5 px noise, 10 % outliers; gauge fixed at the truth)";
            summary = Solver.Solve(problem, options);
            rotationErrorDeg = poses.Select((p, i) => So3.AngleBetween(p.CameraFromWorld.Rotation, scene.CameraFromWorld[i].Rotation)).Max() * 180 / Math.PI;
            centreError = poses.Select((p, i) => (p.Centre - scene.CameraFromWorld[i].InverseTranslation).Norm).Max();
        }

        if (json)
        {
            var result = new Dictionary<string, object?>
            {
                ["source"] = source,
                ["initial_cost"] = summary.InitialCost,
                ["final_cost"] = summary.FinalCost,
                ["iterations"] = summary.Iterations,
                ["successful_steps"] = summary.SuccessfulSteps,
                ["unsuccessful_steps"] = summary.UnsuccessfulSteps,
                ["termination"] = summary.Termination.ToString(),
                ["message"] = summary.Message,
                ["solver_seconds"] = summary.TotalSeconds,
                ["linear_solver_seconds"] = summary.LinearSolverSeconds,
                ["jacobian_seconds"] = summary.JacobianEvaluationSeconds,
                ["residual_seconds"] = summary.ResidualEvaluationSeconds,
                ["linear_solver"] = summary.LinearSolverUsed.ToString(),
                ["pose_update"] = update.ToString(),
                ["threads"] = summary.NumThreads,
                ["cameras"] = summary.Poses,
                ["points"] = summary.Points,
                ["observations"] = summary.Observations,
                ["max_rotation_error_deg"] = rotationErrorDeg,
                ["max_centre_error"] = centreError,
            };
            Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            Console.WriteLine($"Problem: {source}");
            Console.WriteLine($"Pose update: {update}");
            Console.WriteLine();
            Console.Write(summary.FullReport());
            if (rotationErrorDeg is { } r && centreError is { } c)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Against ground truth: max rotation error {r:F4} deg, max centre error {c:F5} (scene radius 5)"));
        }
        return summary.IsUsable ? 0 : 1;
    }
}
