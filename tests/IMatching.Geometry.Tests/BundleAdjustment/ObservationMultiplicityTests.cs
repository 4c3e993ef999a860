using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Geometry.Tests.BundleAdjustment;

/// <summary>An observation with multiplicity m is m identical residuals: same costs, steps, solution and pixel gradient.</summary>
public class ObservationMultiplicityTests
{
    private static int MultiplicityOf(int observation) => 1 + observation % 3;

    /// <summary>The scene's blocks at the same perturbed start, each observation added m times or once with multiplicity m.</summary>
    private static (Problem Problem, PoseBlock[] Poses, PointBlock[] Points) Build(SyntheticScene scene, LossFunction? loss, bool repeated)
    {
        var blocksOnly = new SyntheticScene { Camera = scene.Camera, CameraFromWorld = scene.CameraFromWorld, Points = scene.Points, Observations = [] };
        var (problem, poses, points, intrinsics) = blocksOnly.ToProblem(loss: loss);
        problem.SetConstant(poses[0]);
        problem.FixScale(poses[0], poses[1]);
        for (int i = 0; i < scene.Observations.Length; i++)
        {
            var o = scene.Observations[i];
            if (repeated)
                for (int copy = 0; copy < MultiplicityOf(i); copy++) problem.AddObservation(poses[o.Camera], intrinsics, points[o.Point], o.Pixel);
            else
                problem.AddObservation(poses[o.Camera], intrinsics, points[o.Point], o.Pixel, multiplicity: MultiplicityOf(i));
        }
        return (problem, poses, points);
    }

    [Theory]
    [InlineData("none", false)]
    [InlineData("huber:1", false)]
    [InlineData("huber:1", true)]
    [InlineData("cauchy:1", false)]
    public void SolvesExactlyAsTheRepeatedResiduals(string lossSpec, bool robustCurvature)
    {
        var scene = SyntheticScene.Generate(cameras: 5, points: 300, noisePx: 1, outlierFraction: 0.02, seed: 4);
        var loss = LossFunction.Parse(lossSpec);
        var repeated = Build(scene, loss, repeated: true);
        var counted = Build(scene, loss, repeated: false);
        Assert.True(counted.Problem.Observations.Count < repeated.Problem.Observations.Count);
        Assert.Equal(repeated.Problem.EvaluateCost(), counted.Problem.EvaluateCost(), 1e-12 * repeated.Problem.EvaluateCost());

        var options = new SolverOptions { FunctionTolerance = 1e-10, MaxIterations = 200, RobustCurvature = robustCurvature };
        var a = Solver.Solve(repeated.Problem, options);
        var b = Solver.Solve(counted.Problem, options);

        Assert.True(a.Termination == TerminationType.Convergence, a.ToString());
        Assert.Equal(a.Termination, b.Termination);
        Assert.Equal(a.Iterations, b.Iterations);
        Assert.Equal(a.InitialCost, b.InitialCost, 1e-12 * a.InitialCost);
        Assert.Equal(a.FinalCost, b.FinalCost, 1e-9 * a.FinalCost);
        for (int i = 0; i < repeated.Poses.Length; i++)
            Assert.True((repeated.Poses[i].Centre - counted.Poses[i].Centre).Norm < 1e-8, $"pose {i} differs");
        for (int j = 0; j < repeated.Points.Length; j++)
            Assert.True((repeated.Points[j].World - counted.Points[j].World).Norm < 1e-8, $"point {j} differs");
    }

    [Fact]
    public void ThePixelGradientCountsEveryRepetition()
    {
        var scene = SyntheticScene.Generate(cameras: 3, points: 20, noisePx: 2, seed: 6);
        var loss = new HuberLoss(1);
        var repeated = Build(scene, loss, repeated: true);
        var counted = Build(scene, loss, repeated: false);
        int copy = 0;
        for (int i = 0; i < scene.Observations.Length; i++)
        {
            var single = ObservationGradient.OfCost(repeated.Problem, repeated.Problem.Observations[copy]);
            var total = ObservationGradient.OfCost(counted.Problem, counted.Problem.Observations[i]);
            Assert.True((total - MultiplicityOf(i) * single).Norm <= 1e-12 * Math.Max(1, total.Norm), $"observation {i}: {total} vs {MultiplicityOf(i)} x {single}");
            copy += MultiplicityOf(i);
        }
    }

    [Fact]
    public void AMultiplicityBelowOneIsRefused()
    {
        var scene = SyntheticScene.Generate(cameras: 2, points: 1, seed: 1);
        var (problem, poses, points, intrinsics) = scene.ToProblem();
        var error = Assert.Throws<ArgumentException>(() => problem.AddObservation(poses[0], intrinsics, points[0], scene.Observations[0].Pixel, multiplicity: 0));
        Assert.Contains("multiplicity 0", error.Message);
    }
}
