using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.BundleAdjustment.Internal;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Geometry.Tests.BundleAdjustment;

/// <summary>
/// The solver's parts on a small scene with free shared intrinsics, a constant anchor pose, a pose on the FixScale
/// sphere, one on SE(3) and one moved in angle-axis and translation: the manifolds, the evaluator's robustified gradient
/// and model, Jacobi scaling, the row-major elimination, the step after a rejected one, and the iteration log.
/// </summary>
public class SolverInternalsTests
{
    private static (Problem Problem, PoseBlock[] Poses) Scene(LossFunction? loss)
    {
        var scene = SyntheticScene.Generate(cameras: 4, points: 40, noisePx: 2, outlierFraction: 0.2, seed: 5);
        var (problem, poses, _, _) = scene.ToProblem(freeIntrinsics: true, loss: loss);
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);
        problem.SetPoseUpdate(poses[3], PoseUpdate.AngleAxis);
        return (problem, poses);
    }

    /// <summary>The problem's layout, and a state holding its values.</summary>
    private static (ProgramLayout Layout, ParameterState State) Loaded(Problem problem)
    {
        var layout = new ProgramLayout(problem);
        var state = layout.CreateState();
        ProgramLayout.Load(problem, state);
        return (layout, state);
    }

    /// <summary>
    /// J^T r and the squared column norms of a linearisation, column by column over the observations in turn (a^2 + b^2
    /// and a r0 + b r1 for a column's two rows): the order one thread sums them in.
    /// </summary>
    private static (double[] CameraGradient, double[] PointGradient, double[] CameraNorm2, double[] PointNorm2) ColumnSums(ProgramLayout layout, BlockJacobian jacobian)
    {
        var cameraGradient = new double[layout.ReducedSize];
        var pointGradient = new double[3 * layout.NumPoints];
        var cameraNorm2 = new double[layout.ReducedSize];
        var pointNorm2 = new double[3 * layout.NumPoints];
        var r = jacobian.Residuals;
        for (int o = 0; o < layout.NumObservations; o++)
        {
            int m = layout.ObsCameraDim[o], dp = layout.ObsPoseDim[o], at = jacobian.CameraStride * o;
            for (int c = 0; c < m; c++)
            {
                int column = c < dp ? layout.ObsPoseColumn[o] + c : layout.ObsIntrinsicsColumn[o] + c - dp;
                double a = jacobian.Camera[at + c], b = jacobian.Camera[at + m + c];
                cameraNorm2[column] += a * a + b * b;
                cameraGradient[column] += a * r[2 * o] + b * r[2 * o + 1];
            }
            int p = layout.ObsPoint[o];
            for (int c = 0; c < 3; c++)
            {
                double a = jacobian.Point[6 * o + c], b = jacobian.Point[6 * o + 3 + c];
                pointNorm2[3 * p + c] += a * a + b * b;
                pointGradient[3 * p + c] += a * r[2 * o] + b * r[2 * o + 1];
            }
        }
        return (cameraGradient, pointGradient, cameraNorm2, pointNorm2);
    }

    /// <summary>All free parameters in reduced order: camera columns, then 3 per point.</summary>
    private static double Cost(ProgramLayout layout, Evaluator evaluator, ParameterState at, double[] cameraStep, double[] pointStep)
    {
        var moved = layout.CreateState();
        layout.Plus(at, cameraStep, pointStep, moved);
        return evaluator.Evaluate(moved, jacobians: false);
    }

    [Theory]
    [InlineData("huber:1", false)]
    [InlineData("huber:1", true)]
    [InlineData("cauchy:1", true)]
    [InlineData("none", false)]
    public void RobustifiedJacobianTimesResidualIsTheCostGradientOnTheManifolds(string lossSpec, bool robustCurvature)
    {
        var (problem, _) = Scene(RobustLossRegistry.Parse(lossSpec));
        var layout = new ProgramLayout(problem);
        Assert.IsType<CentreOnSphereManifold>(layout.PoseManifold[1]);
        Assert.IsType<Se3Manifold>(layout.PoseManifold[2]);
        Assert.IsType<AngleAxisManifold>(layout.PoseManifold[3]);
        Assert.Null(layout.PoseManifold[0]);
        var state = layout.CreateState();
        ProgramLayout.Load(problem, state);
        var jacobian = new BlockJacobian(layout);
        var evaluator = new Evaluator(layout, jacobian, workers: 1, robustCurvature);
        evaluator.Evaluate(state, jacobians: true);

        var (gradCamera, gradPoint, _, _) = ColumnSums(layout, jacobian);

        const double h = 1e-6;
        var cameraStep = new double[layout.ReducedSize];
        var pointStep = new double[3 * layout.NumPoints];
        for (int i = 0; i < layout.ReducedSize; i++) CheckColumn(cameraStep, i, gradCamera[i], "camera");
        for (int i = 0; i < 3 * 5; i++) CheckColumn(pointStep, i, gradPoint[i], "point");

        // Central difference of the cost along one coordinate of one step vector against J^T r there.
        void CheckColumn(double[] step, int i, double analytic, string what)
        {
            step[i] = h;
            double plus = Cost(layout, evaluator, state, cameraStep, pointStep);
            step[i] = -h;
            double minus = Cost(layout, evaluator, state, cameraStep, pointStep);
            step[i] = 0;
            double fd = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(fd - analytic) <= 1e-5 * Math.Max(1, Math.Abs(fd)), $"{what} column {i}: J^T r {analytic} vs finite difference {fd}");
        }
    }

    [Fact]
    public void ModelCostChangePredictsASmallStepToSecondOrderWhenCurvatureIsExact()
    {
        var (problem, _) = Scene(null);
        var (layout, state) = Loaded(problem);
        var jacobian = new BlockJacobian(layout);
        var evaluator = new Evaluator(layout, jacobian, workers: 1, robustCurvature: false);
        double cost = evaluator.Evaluate(state, jacobians: true);
        var rng = new Random(3);
        var cameraStep = Enumerable.Range(0, layout.ReducedSize).Select(_ => 1e-4 * (rng.NextDouble() - 0.5)).ToArray();
        var pointStep = Enumerable.Range(0, 3 * layout.NumPoints).Select(_ => 1e-4 * (rng.NextDouble() - 0.5)).ToArray();
        double predicted = evaluator.ModelCostChange(cameraStep, pointStep);
        double actual = cost - Cost(layout, evaluator, state, cameraStep, pointStep);
        Assert.True(Math.Abs(predicted - actual) <= 1e-3 * Math.Abs(actual), $"model {predicted} vs actual {actual}");
    }

    [Fact]
    public void SpherePlusKeepsTheDistanceToTheAnchorAndZeroIsIdentity()
    {
        var (problem, poses) = Scene(null);
        var (layout, state) = Loaded(problem);
        var sphere = (CentreOnSphereManifold)layout.PoseManifold[1]!;
        sphere.Linearize(state);
        double radius = (poses[1].Centre - poses[0].Centre).Norm;
        var unmoved = sphere.Plus(state, new double[5]);
        Assert.True((unmoved.InverseTranslation - state.CameraFromWorld[1].InverseTranslation).Norm < 1e-12);
        Assert.Equal(state.CameraFromWorld[1].Rotation, unmoved.Rotation);
        foreach (var delta in new[] { new[] { 0.1, -0.2, 0.05, 0.3, -0.7 }, new[] { 0, 0, 0, 2.0, 1.5 } })
        {
            var moved = sphere.Plus(state, delta);
            Assert.Equal(radius, (moved.InverseTranslation - state.CameraFromWorld[0].InverseTranslation).Norm, 1e-12);
        }
    }

    [Fact]
    public void AngleAxisPlusAddsToTheRotationVectorAndTheTranslation()
    {
        var (problem, _) = Scene(null);
        var (layout, state) = Loaded(problem);
        var manifold = (AngleAxisManifold)layout.PoseManifold[3]!;
        manifold.Linearize(state);
        var start = state.CameraFromWorld[3];
        var unmoved = manifold.Plus(state, new double[6]);
        Assert.True((unmoved.Translation - start.Translation).Norm < 1e-15);
        Assert.True(So3.AngleBetween(unmoved.Rotation, start.Rotation) < 1e-12);
        var delta = new[] { 0.02, -0.05, 0.1, 0.3, -0.7, 1.1 };
        var moved = manifold.Plus(state, delta);
        var expected = So3.Exp(So3.Log(start.Rotation) + new Vec3(delta[0], delta[1], delta[2]));
        Assert.True(So3.AngleBetween(moved.Rotation, expected) < 1e-12, $"rotation {So3.AngleBetween(moved.Rotation, expected)} rad from Exp(w + d)");
        Assert.True((moved.Translation - (start.Translation + new Vec3(delta[3], delta[4], delta[5]))).Norm < 1e-14);
    }

    [Fact]
    public void AScaleFixedPoseTakesNoOtherUpdate()
    {
        var (problem, poses) = Scene(null);
        problem.SetPoseUpdate(poses[1], PoseUpdate.AngleAxis);
        var error = Assert.Throws<ArgumentException>(() => new ProgramLayout(problem));
        Assert.Contains("pose 1", error.Message);
        Assert.Contains(nameof(PoseUpdate.AngleAxis), error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => problem.SetPoseUpdate(poses[2], (PoseUpdate)7));
    }

    [Fact]
    public void EveryIterationIsLoggedWithAFiniteGradientNorm()
    {
        var (problem, _) = Scene(new HuberLoss(1));
        var summary = Solver.Solve(problem);
        Assert.Equal(summary.Iterations + 1, summary.IterationLog.Count);
        Assert.Equal(0, summary.IterationLog[0].Iteration);
        Assert.Equal(summary.InitialCost, summary.IterationLog[0].Cost);
        Assert.All(summary.IterationLog, it => Assert.True(double.IsFinite(it.GradientMaxNorm) && it.GradientMaxNorm >= 0, $"iteration {it.Iteration}: {it.GradientMaxNorm}"));
        Assert.True(summary.IterationLog[^1].GradientMaxNorm < summary.IterationLog[0].GradientMaxNorm);
        Assert.Equal(summary.FinalCost, summary.IterationLog.Where(it => it.StepIsSuccessful).Last().Cost);
    }

    /// <summary>
    /// As the mapper uses it: warm-started from a solve to Ceres' default tolerance, the exact robust curvature
    /// reaches the tight optimum in fewer iterations than IRLS. (From a cold start among gross outliers it is
    /// not the safer model, which is why it is an option.)
    /// </summary>
    [Fact]
    public void TheExactRobustCurvatureFinishesAWarmStartedSolveInFewerIterations()
    {
        var tight = new SolverOptions { FunctionTolerance = 1e-10, GradientTolerance = 1e-14, ParameterTolerance = 1e-14, MaxIterations = 200 };
        (Problem, Summary) WarmThenTight(bool exact)
        {
            var scene = SyntheticScene.Generate(cameras: 5, points: 200, noisePx: 1, outlierFraction: 0.1, seed: 5);
            var (problem, poses, _, _) = scene.ToProblem(loss: new HuberLoss(1));
            problem.SetConstant(poses[0]);
            problem.FixScale(poses[0], poses[1]);
            Solver.Solve(problem);
            return (problem, Solver.Solve(problem, tight with { RobustCurvature = exact }));
        }
        var (_, irls) = WarmThenTight(false);
        var (_, exact) = WarmThenTight(true);
        Assert.True(Math.Abs(irls.FinalCost - exact.FinalCost) <= 1e-8 * irls.FinalCost, $"IRLS {irls.BriefReport()}; exact {exact.BriefReport()}");
        Assert.Equal(TerminationType.Convergence, exact.Termination);
        Assert.True(exact.Iterations < irls.Iterations, $"exact curvature {exact.Iterations} iterations, IRLS {irls.Iterations}");
    }

    /// <summary>
    /// Jacobi scaling split among workers: every column's scale is 1 / (1 + its norm) and the scaled J and diag(J^T J) follow
    /// from it, with the point columns bit-equal whatever the split and the camera columns equal to rounding; with every
    /// camera held, the gradient's max norm is the points' alone.
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void JacobiScalingSplitAmongWorkersScalesEveryColumnByItsNorm(bool enabled, bool camerasHeld)
    {
        var (problem, _) = Scene(new HuberLoss(1));
        if (camerasHeld)
        {
            foreach (var pose in problem.Poses) problem.SetConstant(pose);
            foreach (var intrinsics in problem.Intrinsics) problem.SetConstant(intrinsics);
        }
        var (layout, state) = Loaded(problem);
        // One linearisation, copied before scaling: each split scales its own copy.
        var reference = new BlockJacobian(layout);
        new Evaluator(layout, reference, workers: 1, robustCurvature: false).Evaluate(state, jacobians: true);
        var unscaledCamera = (double[])reference.Camera.Clone();
        var unscaledPoint = (double[])reference.Point.Clone();

        // The column norms and J^T r straight from the unscaled Jacobian.
        var (cameraGradient, pointGradient, cameraNorm2, pointNorm2) = ColumnSums(layout, reference);
        double gradientMax = cameraGradient.Concat(pointGradient).Max(Math.Abs);
        Assert.True(gradientMax > 0);

        JacobiScaling? single = null;
        foreach (int workers in new[] { 1, 2, 3 })
        {
            var jacobian = new BlockJacobian(layout);
            unscaledCamera.CopyTo(jacobian.Camera, 0);
            unscaledPoint.CopyTo(jacobian.Point, 0);
            reference.Residuals.CopyTo(jacobian.Residuals, 0);
            var scaling = new JacobiScaling(layout, jacobian, enabled, workers);
            Assert.Equal(gradientMax, scaling.Apply(), 1e-12 * gradientMax);
            // Summed in the one-thread order (observations in turn, a^2 + b^2), one worker's camera columns and every
            // split's point columns are equal to the bit.
            for (int i = 0; i < layout.ReducedSize; i++)
            {
                double scale = enabled ? 1 / (1 + Math.Sqrt(cameraNorm2[i])) : 1;
                if (workers == 1)
                {
                    Assert.Equal(scale, scaling.CameraScale[i]);
                    Assert.Equal(cameraNorm2[i] * (scale * scale), scaling.CameraDiagonal[i]);
                }
                Assert.Equal(scale, scaling.CameraScale[i], 1e-14);
                Assert.Equal(cameraNorm2[i] * scale * scale, scaling.CameraDiagonal[i], 1e-12 * Math.Max(1, cameraNorm2[i]));
            }
            for (int i = 0; i < 3 * layout.NumPoints; i++)
            {
                double scale = enabled ? 1 / (1 + Math.Sqrt(pointNorm2[i])) : 1;
                Assert.Equal(scale, scaling.PointScale[i]);
                Assert.Equal(pointNorm2[i] * (scale * scale), scaling.PointDiagonal[i]);
                if (single is not null) Assert.Equal(single.PointDiagonal[i], scaling.PointDiagonal[i]);
            }
            for (int o = 0; o < layout.NumObservations; o++)
            {
                int m = layout.ObsCameraDim[o], dp = layout.ObsPoseDim[o], at = jacobian.CameraStride * o, p = layout.ObsPoint[o];
                for (int c = 0; c < m; c++)
                {
                    int column = c < dp ? layout.ObsPoseColumn[o] + c : layout.ObsIntrinsicsColumn[o] + c - dp;
                    Assert.Equal(unscaledCamera[at + c] * scaling.CameraScale[column], jacobian.Camera[at + c], 1e-14 * Math.Max(1, Math.Abs(unscaledCamera[at + c])));
                    Assert.Equal(unscaledCamera[at + m + c] * scaling.CameraScale[column], jacobian.Camera[at + m + c], 1e-14 * Math.Max(1, Math.Abs(unscaledCamera[at + m + c])));
                }
                for (int c = 0; c < 6; c++) Assert.Equal(unscaledPoint[6 * o + c] * scaling.PointScale[3 * p + c % 3], jacobian.Point[6 * o + c]);
            }
            single ??= scaling;
        }
    }

    /// <summary>
    /// The row-major system's elimination (a point's W V^-1 W^T a row at a time) gives every lower entry of S, the
    /// right-hand side, the camera step and the point steps of the block pairs' order (DenseReducedSystem) to the bit:
    /// per entry it is the same arithmetic. The scene's shared intrinsics give each observation two blocks, and a held
    /// point is left out of both.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RowMajorEliminationEqualsTheBlockPairsToTheBit(int workers)
    {
        var (problem, _) = Scene(new HuberLoss(1));
        problem.SetConstant(problem.Points[3]);
        var (layout, state) = Loaded(problem);
        Assert.InRange(layout.ReducedSize, 1, RowMajorReducedSystem.MaxSize);
        var jacobian = new BlockJacobian(layout);
        new Evaluator(layout, jacobian, workers, robustCurvature: false).Evaluate(state, jacobians: true);
        var scaling = new JacobiScaling(layout, jacobian, enabled: true, workers);
        scaling.Apply();

        (double[] Lower, double[] Rhs, double[] CameraStep, double[] PointStep) Eliminate(ReducedSystem system)
        {
            var eliminator = new SchurEliminator(layout, jacobian, system, workers);
            var rhs = new double[layout.ReducedSize];
            Assert.True(eliminator.Eliminate(1e-2, scaling.CameraDiagonal, scaling.PointDiagonal, 1e-6, 1e32, rhs));
            var lower = new List<double>();
            for (int r = 0; r < layout.NumBlocks; r++)
                for (int c = 0; c <= r; c++)
                {
                    int at = system.Locate(r, c, out int ld);
                    for (int i = 0; i < layout.BlockDim[r]; i++)
                        for (int j = 0; j < (r == c ? i + 1 : layout.BlockDim[c]); j++) lower.Add(system.Values[at + i * ld + j]);
                }
            var cameraStep = new double[layout.ReducedSize];
            var pointStep = new double[3 * layout.NumPoints];
            Assert.True(system.FactorizeAndSolve(rhs, cameraStep));
            eliminator.BackSubstitute(cameraStep, pointStep);
            return (lower.ToArray(), rhs, cameraStep, pointStep);
        }

        var blocks = Eliminate(new DenseReducedSystem(layout.BlockOffset, layout.BlockDim));
        var rows = Eliminate(new RowMajorReducedSystem(layout.BlockOffset, layout.BlockDim));
        Assert.Contains(blocks.Lower, v => v != 0);
        Assert.Equal(blocks.Lower, rows.Lower);
        Assert.Equal(blocks.Rhs, rows.Rhs);
        Assert.Equal(blocks.CameraStep, rows.CameraStep);
        Assert.Equal(blocks.PointStep, rows.PointStep);
        Assert.All(rows.PointStep.Skip(9).Take(3), v => Assert.Equal(0, v));
    }

    /// <summary>
    /// A rejected step leaves the solve where it was, linearised there again: the step after it is the one a new solve
    /// started at that iterate, with the radius the rejection left, takes (same step norm and cost to the bit). Cauchy's
    /// loss with outliers makes LM overshoot: this scene rejects its third step.
    /// </summary>
    [Fact]
    public void AfterARejectedStepTheNextIsTakenFromTheCurrentIterate()
    {
        static Problem Make()
        {
            var scene = SyntheticScene.Generate(cameras: 4, points: 40, noisePx: 2, outlierFraction: 0.2, seed: 3);
            var (problem, poses, _, _) = scene.ToProblem(freeIntrinsics: true, loss: new CauchyLoss(1));
            problem.SetConstant(poses[0]);
            problem.FixScale(poses[0], poses[1]);
            return problem;
        }
        var full = Solver.Solve(Make()).IterationLog;
        int rejected = full.FindIndex(i => !i.StepIsSuccessful);
        Assert.True(rejected > 0, "the scene must reject a step");
        Assert.True(full[rejected + 1].StepNorm > 0);

        var problem = Make();
        Solver.Solve(problem, new SolverOptions { MaxIterations = rejected - 1 });
        var resumed = Solver.Solve(problem, new SolverOptions { MaxIterations = 1, InitialTrustRegionRadius = full[rejected].TrustRegionRadius }).IterationLog;
        Assert.Equal(full[rejected - 1].Cost, resumed[0].Cost);
        Assert.Equal(full[rejected + 1].StepNorm, resumed[1].StepNorm);
        Assert.Equal(full[rejected + 1].Cost, resumed[1].Cost);
    }

    [Fact]
    public void IntrinsicsWiderThanAnyPoseAreEliminatedWithoutACap()
    {
        // One block of 6 + 9 columns per pose (owned intrinsics): the Schur scratch is sized from the layout.
        var scene = SyntheticScene.Generate(cameras: 3, points: 30, noisePx: 0.5, seed: 2);
        var problem = new Problem();
        var poses = scene.CameraFromWorld.Select(problem.AddPose).ToArray();
        var intrinsics = poses.Select(_ => problem.AddIntrinsics(Geometry.Cameras.BrownConradyModel.Instance, scene.Camera.ToParameters())).ToArray();
        var points = scene.Points.Select(problem.AddPoint).ToArray();
        foreach (var o in scene.Observations) problem.AddObservation(poses[o.Camera], intrinsics[o.Camera], points[o.Point], o.Pixel);
        problem.SetConstant(poses[0]);
        problem.SetConstant(intrinsics[0]);
        var layout = new ProgramLayout(problem);
        Assert.Equal(15, layout.MaxCameraDim);
        var summary = Solver.Solve(problem);
        Assert.True(summary.IsUsable, summary.Message);
        Assert.True(summary.FinalCost <= summary.InitialCost);
    }
}
