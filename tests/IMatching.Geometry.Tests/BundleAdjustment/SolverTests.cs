using IMatching.Geometry.RobustLosses;
using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Tests.BundleAdjustment;

public class SolverTests
{
    /// <summary>Pins the gauge at the truth: pose 0 constant and exact, pose 1 exact centre distance.</summary>
    private static void FixGaugeAtTruth(SyntheticScene scene, Problem problem, PoseBlock[] poses)
    {
        poses[0].CameraFromWorld = scene.CameraFromWorld[0];
        poses[1].CameraFromWorld = scene.CameraFromWorld[1];
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);
    }

    /// <summary>The scene's Huber problem from a perturbed start, gauge held by pose 0 (constant) and pose 1's distance to it.</summary>
    private static Summary SolveHuberFromPerturbedStart(SyntheticScene scene, double rotationNoiseRad, double positionNoise, SolverOptions options)
    {
        var (problem, poses, _, _) = scene.ToProblem(rotationNoiseRad: rotationNoiseRad, positionNoise: positionNoise, loss: new HuberLoss(1));
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);
        return Solver.Solve(problem, options);
    }

    private static (double RotationRad, double Position) MaxPoseError(SyntheticScene scene, PoseBlock[] poses)
    {
        double rot = 0, pos = 0;
        for (int i = 0; i < poses.Length; i++)
        {
            rot = Math.Max(rot, So3.AngleBetween(poses[i].CameraFromWorld.Rotation, scene.CameraFromWorld[i].Rotation));
            pos = Math.Max(pos, (poses[i].Centre - scene.CameraFromWorld[i].InverseTranslation).Norm);
        }
        return (rot, pos);
    }

    [Fact]
    public void NoiseFreeProblemConvergesToGroundTruth()
    {
        var scene = SyntheticScene.Generate(cameras: 6, points: 400, noisePx: 0);
        var (problem, poses, points, _) = scene.ToProblem();
        FixGaugeAtTruth(scene, problem, poses);
        var summary = Solver.Solve(problem, new SolverOptions { FunctionTolerance = 1e-12 });

        Assert.Equal(TerminationType.Convergence, summary.Termination);
        Assert.True(summary.InitialCost > 1e3, $"start should be far off, cost {summary.InitialCost}");
        Assert.True(summary.FinalCost < 1e-12, $"final cost {summary.FinalCost}");
        var (rot, pos) = MaxPoseError(scene, poses);
        Assert.True(rot < 1e-7 && pos < 1e-6, $"pose error {rot} rad, {pos}");
        for (int j = 0; j < points.Length; j++) Assert.True((points[j].World - scene.Points[j]).Norm < 1e-6);
        // The anchored pose kept its distance to the anchor exactly.
        double d0 = (scene.CameraFromWorld[1].InverseTranslation - scene.CameraFromWorld[0].InverseTranslation).Norm;
        Assert.Equal(d0, (poses[1].Centre - poses[0].Centre).Norm, 12);
    }

    [Fact]
    public void NoisyProblemRecoversPosesToNoiseLevel()
    {
        const double sigma = 0.5;
        var scene = SyntheticScene.Generate(cameras: 8, points: 800, noisePx: sigma);
        var (problem, poses, _, _) = scene.ToProblem();
        FixGaugeAtTruth(scene, problem, poses);
        var summary = Solver.Solve(problem);

        Assert.True(summary.IsUsable);
        // At the optimum the residual RMS sits just below sigma (degrees of freedom were absorbed).
        double rms = Math.Sqrt(2 * summary.FinalCost / (2.0 * problem.Observations.Count));
        Assert.InRange(rms, 0.8 * sigma, 1.05 * sigma);
        var (rot, pos) = MaxPoseError(scene, poses);
        Assert.True(rot < 2e-3 && pos < 1e-2, $"pose error {rot} rad, {pos}");
    }

    [Theory]
    [InlineData("huber:1")]
    [InlineData("cauchy:1")]
    public void RobustLossesRejectGrossOutliersThatPlainLeastSquaresCannot(string lossSpec)
    {
        var scene = SyntheticScene.Generate(cameras: 8, points: 800, noisePx: 0.5, outlierFraction: 0.2, seed: 7);
        var robust = scene.ToProblem(loss: LossFunction.Parse(lossSpec));
        FixGaugeAtTruth(scene, robust.Problem, robust.Poses);
        var plain = scene.ToProblem();
        FixGaugeAtTruth(scene, plain.Problem, plain.Poses);

        var robustSummary = Solver.Solve(robust.Problem);
        Solver.Solve(plain.Problem);

        Assert.True(robustSummary.IsUsable, robustSummary.Message);
        var (robustRot, robustPos) = MaxPoseError(scene, robust.Poses);
        var (plainRot, plainPos) = MaxPoseError(scene, plain.Poses);
        Assert.True(robustRot < 3e-3 && robustPos < 2e-2, $"{lossSpec}: pose error {robustRot} rad, {robustPos}");
        Assert.True(plainPos > 5 * robustPos, $"plain loss should be dragged off: {plainPos} vs {robustPos}");
    }

    [Fact]
    public void SharedIntrinsicsAreEstimated()
    {
        var scene = SyntheticScene.Generate(cameras: 8, points: 800, noisePx: 0);
        var (problem, poses, _, intrinsics) = scene.ToProblem(freeIntrinsics: true);
        FixGaugeAtTruth(scene, problem, poses);
        intrinsics.Values[0] *= 1.03;
        intrinsics.Values[1] *= 0.98;
        intrinsics.Values[4] = 0;
        var summary = Solver.Solve(problem, new SolverOptions { FunctionTolerance = 1e-14, GradientTolerance = 1e-14, ParameterTolerance = 1e-14, MaxIterations = 100 });

        Assert.True(summary.FinalCost < 1e-10, $"final cost {summary.FinalCost}");
        var truth = scene.Camera.ToParameters();
        for (int i = 0; i < truth.Length; i++) Assert.Equal(truth[i], intrinsics.Values[i], 5);
    }

    [Fact]
    public void ConstantPointsStayPutAndStillConstrainPoses()
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 300, noisePx: 0);
        var (problem, poses, points, _) = scene.ToProblem();
        // With every point fixed at the truth there is no gauge freedom left.
        for (int j = 0; j < points.Length; j++)
        {
            points[j].World = scene.Points[j];
            problem.SetConstant(points[j]);
        }
        var summary = Solver.Solve(problem, new SolverOptions { FunctionTolerance = 1e-12 });

        Assert.True(summary.FinalCost < 1e-10, summary.FullReport());
        for (int j = 0; j < points.Length; j++) Assert.Equal(scene.Points[j], points[j].World);
        var (rot, pos) = MaxPoseError(scene, poses);
        Assert.True(rot < 1e-7 && pos < 1e-7, $"pose error {rot} rad, {pos}");
    }

    [Fact]
    public void TwoThreadsGiveTheSameSolutionAsOne()
    {
        var scene = SyntheticScene.Generate(cameras: 8, points: 1500, noisePx: 1);
        var one = scene.ToProblem(loss: new HuberLoss(1));
        var two = scene.ToProblem(loss: new HuberLoss(1));
        var s1 = Solver.Solve(one.Problem, new SolverOptions { NumThreads = 1 });
        var s2 = Solver.Solve(two.Problem, new SolverOptions { NumThreads = 2 });

        Assert.Equal(s1.Iterations, s2.Iterations);
        Assert.Equal(s1.FinalCost, s2.FinalCost, 1e-9 * s1.FinalCost);
    }

    [Fact]
    public void SummaryReportsCostsTimesAndWhyItStopped()
    {
        var scene = SyntheticScene.Generate(cameras: 4, points: 200, noisePx: 0.5);
        var (problem, _, _, _) = scene.ToProblem();
        var summary = Solver.Solve(problem, new SolverOptions { MaxIterations = 1 });

        Assert.Equal(TerminationType.NoConvergence, summary.Termination);
        Assert.Equal(1, summary.Iterations);
        Assert.True(summary.FinalCost < summary.InitialCost);
        Assert.Equal(problem.EvaluateCost(), summary.FinalCost, 1e-9 * summary.FinalCost);
        Assert.True(summary.TotalSeconds >= summary.LinearSolverSeconds);
        Assert.Contains("maximum number of iterations", summary.FullReport());
    }

    /// <summary>
    /// A rejected step must leave the iterate, its linearisation and the sphere manifold's tangent basis as they were:
    /// the step accepted after a run of rejections equals the first step of a solve that starts at that radius.
    /// </summary>
    [Fact]
    public void RejectedStepsLeaveNoTrace()
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 300, noisePx: 1, outlierFraction: 0.2, seed: 7);
        Summary Solve(double radius, int iterations) => SolveHuberFromPerturbedStart(scene, 0.05, 0.3,
            new SolverOptions { InitialTrustRegionRadius = radius, MaxIterations = iterations, RobustCurvature = true });

        var rejecting = Solve(1e12, 30);
        int accepted = rejecting.IterationLog.FindIndex(1, i => i.StepIsSuccessful);
        Assert.True(accepted > 1, $"the first step should be rejected at radius 1e12: {rejecting.IterationLog.Count} iterations logged");
        var fresh = Solve(rejecting.IterationLog[accepted - 1].TrustRegionRadius, 1);
        Assert.True(fresh.IterationLog[1].StepIsSuccessful);
        Assert.Equal(rejecting.IterationLog[accepted].Cost, fresh.IterationLog[1].Cost);
        Assert.Equal(rejecting.IterationLog[accepted].StepNorm, fresh.IterationLog[1].StepNorm);
    }

    /// <summary>
    /// LM's false convergence: a short step ends the solve on the function tolerance (here after a run of damped steps
    /// from Ceres' default radius) or on the parameter tolerance (a solve started at a tiny radius stops at once), with
    /// the gradient far from zero. With the gradient ratio both solves go on until the gradient has fallen that far, to
    /// a lower cost.
    /// </summary>
    [Theory]
    [InlineData(1e4, "function tolerance")]
    [InlineData(1e-9, "parameter tolerance")]
    public void GradientRatioKeepsTheTolerancesFromEndingTheSolveOnAShortStep(double radius, string falseReason)
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 300, noisePx: 1, outlierFraction: 0.1, seed: 3);
        Summary Solve(double? ratio) => SolveHuberFromPerturbedStart(scene, 0.02, 0.1, new SolverOptions
        {
            InitialTrustRegionRadius = radius, ConvergenceGradientRatio = ratio, RobustCurvature = true, MaxIterations = 300,
        });
        static double GradientRatio(Summary s) => s.IterationLog[^1].GradientMaxNorm / s.IterationLog[0].GradientMaxNorm;

        var alone = Solve(null);
        Assert.Equal(TerminationType.Convergence, alone.Termination);
        Assert.Contains(falseReason, alone.Message);
        Assert.True(GradientRatio(alone) > 1e-2, $"the tolerance alone should stop early: gradient ratio {GradientRatio(alone):E2}");

        var gated = Solve(1e-3);
        Assert.Equal(TerminationType.Convergence, gated.Termination);
        Assert.True(GradientRatio(gated) <= 1e-3, $"gradient ratio {GradientRatio(gated):E2}");
        Assert.True(gated.FinalCost < alone.FinalCost - 1e-3 * alone.FinalCost, $"{gated.FinalCost} vs {alone.FinalCost}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void GradientRatioOutsideTheUnitIntervalIsRefused(double ratio)
    {
        var (problem, _, _, _) = SyntheticScene.Generate(cameras: 4, points: 200).ToProblem();
        var ex = Assert.Throws<ArgumentException>(() => Solver.Solve(problem, new SolverOptions { ConvergenceGradientRatio = ratio }));
        Assert.Contains("ConvergenceGradientRatio", ex.Message);
    }

    [Fact]
    public void CallbackCanStopTheSolve()
    {
        var (problem, _, _, _) = SyntheticScene.Generate(cameras: 4, points: 200).ToProblem();
        var summary = Solver.Solve(problem, new SolverOptions { Callback = _ => false });
        Assert.Equal(TerminationType.UserStop, summary.Termination);
    }

    [Fact]
    public void EmptyProblemIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Solver.Solve(new Problem()));
        Assert.Contains("no observations", ex.Message);
    }

    [Fact]
    public void NonFiniteInputIsRefusedWithTheBlockNamed()
    {
        var problem = new Problem();
        var pose = problem.AddPose(Se3.Identity);
        var k = problem.AddIntrinsics(BrownConradyModel.Instance, new PinholeCamera(10, 10, 5, 5, 5, 5).ToParameters());
        var point = problem.AddPoint(new Vec3(0, 0, 1));
        var ex = Assert.Throws<ArgumentException>(() => problem.AddObservation(pose, k, point, new Vec2(double.NaN, 1)));
        Assert.Contains("Observation 0", ex.Message);
        Assert.Throws<ArgumentException>(() => problem.AddPoint(new Vec3(0, double.PositiveInfinity, 1)));
        Assert.Throws<ArgumentException>(() => problem.AddObservation(pose, k, point, new Vec2(1, 1), weight: 0));
        Assert.Throws<ArgumentException>(() => problem.AddIntrinsics(BalModel.Instance, [1, 2]));
    }

    [Fact]
    public void PointOnThePrincipalPlaneFailsWithAMessageNotACrash()
    {
        var problem = new Problem();
        var pose = problem.AddPose(Se3.Identity);
        var k = problem.AddIntrinsics(BrownConradyModel.Instance, new PinholeCamera(10, 10, 5, 5, 5, 5).ToParameters());
        var point = problem.AddPoint(new Vec3(1, 0, 0));
        problem.AddObservation(pose, k, point, new Vec2(1, 1));
        var summary = Solver.Solve(problem);
        Assert.Equal(TerminationType.Failure, summary.Termination);
        Assert.Contains("observation 0", summary.Message);
    }

    [Fact]
    public void ScaleAnchorMustBeConstant()
    {
        var scene = SyntheticScene.Generate(cameras: 3, points: 50);
        var (problem, poses, _, _) = scene.ToProblem();
        problem.FixScale(poses[0], poses[1]);
        var ex = Assert.Throws<ArgumentException>(() => Solver.Solve(problem));
        Assert.Contains("anchor pose 0", ex.Message);
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("huber:2", "huber:2")]
    [InlineData("cauchy:0.5", "cauchy:0.5")]
    public void LossSpecsParse(string spec, string? name) => Assert.Equal(name, LossFunction.Parse(spec)?.Name);

    [Theory]
    [InlineData("tukey:1")]
    [InlineData("huber:x")]
    [InlineData("huber:-1")]
    public void BadLossSpecsAreRefused(string spec) => Assert.Throws<FormatException>(() => LossFunction.Parse(spec));

    [Theory]
    [InlineData(0.25)]
    [InlineData(4.0)]
    [InlineData(100.0)]
    public void RobustLossDerivativesMatchFiniteDifferences(double s)
    {
        foreach (LossFunction loss in new LossFunction[] { new HuberLoss(1.5), new CauchyLoss(1.5) })
        {
            const double h = 1e-6;
            var (_, rho1, rho2) = loss.Evaluate(s);
            double fd1 = (loss.Evaluate(s + h).Rho - loss.Evaluate(s - h).Rho) / (2 * h);
            double fd2 = (loss.Evaluate(s + h).Rho1 - loss.Evaluate(s - h).Rho1) / (2 * h);
            Assert.Equal(fd1, rho1, 1e-6);
            Assert.Equal(fd2, rho2, 1e-6);
        }
    }
}
