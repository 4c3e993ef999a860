using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.BundleAdjustment.Internal;
using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Geometry.Tests.BundleAdjustment;

public class EmbeddedPointIterationsTests
{
    /// <summary>Each point's own cost, 0.5 rho summed over its observations, read from the problem's blocks.</summary>
    private static double[] PointCosts(Problem problem)
    {
        var costs = new double[problem.Points.Count];
        foreach (var o in problem.Observations)
        {
            var pixel = o.Intrinsics.Model.Project(o.Intrinsics.Values, o.Pose.CameraFromWorld.Act(o.Point.World), default, default);
            var e = pixel - o.ObservedPx;
            double s = (e.X * e.X + e.Y * e.Y) * o.Weight;
            costs[o.Point.Index] += problem.DefaultLoss is { } loss ? 0.5 * loss.Evaluate(s).Rho : 0.5 * s;
        }
        return costs;
    }

    private static (ProgramLayout Layout, ParameterState State) Flatten(Problem problem)
    {
        var layout = new ProgramLayout(problem);
        var state = layout.CreateState();
        ProgramLayout.Load(problem, state);
        return (layout, state);
    }

    /// <summary>With the cameras exact and the data exact, ten Newton steps take every point from a start a few pixels off to its true position.</summary>
    [Fact]
    public void PointsOfExactDataReachTheirTruePositions()
    {
        var scene = SyntheticScene.Generate(cameras: 4, points: 200, noisePx: 0);
        var (problem, _, _, _) = scene.ToProblem(rotationNoiseRad: 0, positionNoise: 0, loss: new HuberLoss(1));
        var (layout, truth) = Flatten(problem);
        var rng = new Random(5);
        var trial = layout.CreateState();
        var previous = layout.CreateState();
        ProgramLayout.Load(problem, trial);
        ProgramLayout.Load(problem, previous);
        for (int p = 0; p < layout.NumPoints; p++)
        {
            trial.Points[p] += 0.05 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
            previous.Points[p] += 0.05 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        }

        new PointRefiner(layout, workers: 2, robustCurvature: true, tolerance: 1e-14).Refine(trial, previous, iterations: 10);

        double worst = 0;
        for (int p = 0; p < layout.NumPoints; p++) worst = Math.Max(worst, (trial.Points[p] - truth.Points[p]).Norm);
        Assert.True(worst < 1e-6, $"farthest point {worst:E2} from its truth");
    }

    /// <summary>
    /// On noisy data with outliers, no point ends above the lower of its two starts (the step's and the previous
    /// position), and the refinement lowers the sum: it would be no use if it never moved, and wrong if it ever climbed.
    /// </summary>
    [Fact]
    public void NoPointEndsAboveEitherStart()
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 300, noisePx: 1, outlierFraction: 0.2, seed: 7);
        var (problem, _, pointBlocks, _) = scene.ToProblem(rotationNoiseRad: 0.01, positionNoise: 0.1, loss: new HuberLoss(1));
        var (layout, previous) = Flatten(problem);
        var previousCosts = PointCosts(problem);
        var rng = new Random(3);
        foreach (var b in pointBlocks) b.World += 0.5 * new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        var trialCosts = PointCosts(problem);
        var trial = layout.CreateState();
        ProgramLayout.Load(problem, trial);

        new PointRefiner(layout, workers: 2, robustCurvature: true, tolerance: 1e-10).Refine(trial, previous, iterations: 3);

        ProgramLayout.Store(trial, problem);
        var refinedCosts = PointCosts(problem);
        for (int p = 0; p < refinedCosts.Length; p++)
            Assert.True(refinedCosts[p] <= Math.Min(previousCosts[p], trialCosts[p]) * (1 + 1e-12),
                $"point {p}: {refinedCosts[p]} after, {previousCosts[p]} before, {trialCosts[p]} at the trial");
        Assert.True(refinedCosts.Sum() < 0.9 * previousCosts.Zip(trialCosts, Math.Min).Sum(),
            $"refined {refinedCosts.Sum()} against {previousCosts.Zip(trialCosts, Math.Min).Sum()}");
    }

    /// <summary>
    /// The solve ends at the same optimum with and without the iterations (same tolerances, same gradient ratio),
    /// on a Huber problem with the exact robust curvature, in at most half the LM iterations.
    /// </summary>
    [Fact]
    public void SolveReachesTheSameOptimumInHalfTheIterations()
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 400, noisePx: 1, outlierFraction: 0.2, seed: 11);
        (Summary Summary, Problem Problem) Solve(int iterations)
        {
            var (problem, poses, _, _) = scene.ToProblem(rotationNoiseRad: 0.01, positionNoise: 0.1, loss: new HuberLoss(1));
            problem.SetConstant(poses[0]);
            problem.FixScale(poses[0], poses[1]);
            var summary = Solver.Solve(problem, new SolverOptions
            {
                RobustCurvature = true, FunctionTolerance = 1e-10, ConvergenceGradientRatio = 1e-4, MaxIterations = 200,
                EmbeddedPointIterations = iterations,
            });
            return (summary, problem);
        }

        var (plain, plainProblem) = Solve(0);
        var (embedded, embeddedProblem) = Solve(10);
        Assert.Equal(TerminationType.Convergence, plain.Termination);
        Assert.Equal(TerminationType.Convergence, embedded.Termination);
        Assert.True(Math.Abs(plain.FinalCost - embedded.FinalCost) <= 1e-8 * plain.FinalCost, $"{plain.FinalCost} vs {embedded.FinalCost}");
        // The plain solve stops with its gradient 30 times the other's (0.48 against 0.015), so its poses sit up to
        // 1.5e-4 from the other's along the objective's flat directions, in a scene some 10 units across.
        for (int i = 0; i < plainProblem.Poses.Count; i++)
            Assert.True((plainProblem.Poses[i].Centre - embeddedProblem.Poses[i].Centre).Norm < 1e-3, $"pose {i}: centres {(plainProblem.Poses[i].Centre - embeddedProblem.Poses[i].Centre).Norm:E2} apart");
        // 23 against 139 when written: the plain solve's trust region is held down by points the joint model barely constrains.
        Assert.True(embedded.Iterations <= plain.Iterations / 2, $"{embedded.Iterations} LM iterations with, {plain.Iterations} without");
        Assert.True(embedded.PointRefinementSeconds > 0);
        Assert.Equal(0, plain.PointRefinementSeconds);
    }

    [Fact]
    public void NegativeIterationsAreRefused()
    {
        var (problem, _, _, _) = SyntheticScene.Generate(cameras: 4, points: 200).ToProblem();
        var ex = Assert.Throws<ArgumentException>(() => Solver.Solve(problem, new SolverOptions { EmbeddedPointIterations = -1 }));
        Assert.Contains("EmbeddedPointIterations", ex.Message);
    }
}
