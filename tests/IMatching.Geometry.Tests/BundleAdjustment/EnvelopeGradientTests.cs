using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Tests.BundleAdjustment;

/// <summary>
/// The upper level's gradient: d C(theta*(u), u) / du equals the partial dC/du at the optimum, so
/// the solver is a constant for back-propagation. Checked against finite differences of the
/// re-solved optimal cost.
/// </summary>
public class EnvelopeGradientTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly SolverOptions Converged = new()
    {
        MaxIterations = 200, FunctionTolerance = 1e-15, GradientTolerance = 1e-13, ParameterTolerance = 1e-15,
    };

    private static (Problem Problem, PoseBlock[] Poses) Solved(LossFunction? loss)
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 150, noisePx: 1.0, outlierFraction: 0.05, seed: 11);
        var (problem, poses, _, _) = scene.ToProblem(loss: loss);
        poses[0].CameraFromWorld = scene.CameraFromWorld[0];
        poses[1].CameraFromWorld = scene.CameraFromWorld[1];
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);
        var summary = Solver.Solve(problem, Converged);
        Assert.True(summary.IsUsable, summary.Message);
        return (problem, poses);
    }

    /// <summary>Optimal cost after moving observation <paramref name="index"/> by (dx, dy) and solving again.</summary>
    private static double OptimalCostWithObservationMoved(LossFunction? loss, int index, double dx, double dy)
    {
        var (problem, _) = Solved(loss);
        var o = problem.Observations[index];
        var moved = new Problem { DefaultLoss = problem.DefaultLoss };
        // Rebuild with the one observation moved, starting from the optimum of the unmoved problem.
        var poses = problem.Poses.Select(p => moved.AddPose(p.CameraFromWorld)).ToArray();
        var intrinsics = problem.Intrinsics.Select(k => moved.AddIntrinsics(k.Model, k.Values)).ToArray();
        var points = problem.Points.Select(p => moved.AddPoint(p.World)).ToArray();
        for (int i = 0; i < problem.Intrinsics.Count; i++) if (problem.Intrinsics[i].IsConstant) moved.SetConstant(intrinsics[i]);
        moved.SetConstant(poses[0]);
        moved.FixScale(poses[0], poses[1]);
        foreach (var other in problem.Observations)
        {
            var pixel = ReferenceEquals(other, o) ? other.ObservedPx + new Vec2(dx, dy) : other.ObservedPx;
            moved.AddObservation(poses[other.Pose.Index], intrinsics[other.Intrinsics.Index], points[other.Point.Index], pixel, other.Weight, other.Loss);
        }
        var summary = Solver.Solve(moved, Converged);
        Assert.True(summary.IsUsable, summary.Message);
        return summary.FinalCost;
    }

    public static TheoryData<string, int> Cases => new()
    {
        { "none", 3 }, { "none", 250 }, { "huber:1", 3 }, { "huber:1", 250 }, { "cauchy:2", 77 },
    };

    [Theory]
    [InlineData("huber:1")]
    [InlineData("cauchy:1")]
    public void HoldsForAGrossOutlierInTheRobustRegion(string lossSpec)
    {
        var (problem, _) = Solved(LossFunction.Parse(lossSpec));
        int outlier = Enumerable.Range(0, problem.Observations.Count).First(i => Problem.Residual(problem.Observations[i]).Norm > 5);
        AnalyticGradientAtTheOptimumMatchesFiniteDifferencesOfTheResolvedCost(lossSpec, outlier);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AnalyticGradientAtTheOptimumMatchesFiniteDifferencesOfTheResolvedCost(string lossSpec, int index)
    {
        var loss = LossFunction.Parse(lossSpec);
        var (problem, _) = Solved(loss);
        var analytic = ObservationGradient.OfCost(problem, problem.Observations[index]);

        const double eps = 1e-4;
        double fdX = (OptimalCostWithObservationMoved(loss, index, eps, 0) - OptimalCostWithObservationMoved(loss, index, -eps, 0)) / (2 * eps);
        double fdY = (OptimalCostWithObservationMoved(loss, index, 0, eps) - OptimalCostWithObservationMoved(loss, index, 0, -eps)) / (2 * eps);

        var residual = Problem.Residual(problem.Observations[index]);
        output.WriteLine($"{lossSpec} #{index}: residual {residual} px, analytic {analytic}, finite difference ({fdX:G8}, {fdY:G8})");
        double scale = Math.Max(analytic.Norm, 1e-3);
        Assert.True(Math.Abs(fdX - analytic.X) <= 1e-4 * scale, $"x: finite difference {fdX}, analytic {analytic.X}");
        Assert.True(Math.Abs(fdY - analytic.Y) <= 1e-4 * scale, $"y: finite difference {fdY}, analytic {analytic.Y}");
    }

    [Fact]
    public void OnceConvergedTheGradientDoesNotDependOnTheIterationCount()
    {
        var gradients = new List<Vec2>();
        foreach (int extra in new[] { 0, 5, 40 })
        {
            var (problem, _) = Solved(new HuberLoss(1));
            // Keep iterating past convergence: tolerances at zero force the extra steps to be taken.
            Solver.Solve(problem, new SolverOptions { MaxIterations = extra, FunctionTolerance = 0, GradientTolerance = 0, ParameterTolerance = 0 });
            gradients.Add(ObservationGradient.OfCost(problem, problem.Observations[42]));
        }
        foreach (var g in gradients) Assert.True((g - gradients[0]).Norm <= 1e-7 * gradients[0].Norm, $"{g} vs {gradients[0]}");
    }

    [Fact]
    public void AnUnconvergedSolveGivesAWrongGradient()
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 150, noisePx: 1.0, outlierFraction: 0.05, seed: 11);
        var (problem, poses, _, _) = scene.ToProblem(loss: new HuberLoss(1), rotationNoiseRad: 0.05, positionNoise: 0.2);
        poses[0].CameraFromWorld = scene.CameraFromWorld[0];
        poses[1].CameraFromWorld = scene.CameraFromWorld[1];
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);
        Solver.Solve(problem, new SolverOptions { MaxIterations = 1 });
        var early = ObservationGradient.OfCost(problem, problem.Observations[3]);
        var (converged, _) = Solved(new HuberLoss(1));
        var right = ObservationGradient.OfCost(converged, converged.Observations[3]);
        Assert.True((early - right).Norm > 0.05 * right.Norm, $"early {early}, converged {right}");
    }
}
