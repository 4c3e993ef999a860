using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Linear;
using IMatching.Vision.Mapping;

namespace IMatching.Vision.Tests.Mapping;

/// <summary>A map is the optimum of the BA objective over its inlier observations, so that objective's gradient is exact.</summary>
public class MapObjectiveTests
{
    private static readonly SolverOptions Tight = new() { MaxIterations = 200, FunctionTolerance = 1e-15, GradientTolerance = 1e-13, ParameterTolerance = 1e-15 };

    [Fact]
    public void TheMapIsAlreadyAtTheOptimumOfItsObjective()
    {
        var clip = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 200, noisePx: 0.7, outlierFraction: 0.2, seed: 4);
        var map = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { BundleAdjustmentIterations = 200 }).Map!;
        var problem = MapObjective.Build(map, clip.Cameras);
        double before = problem.EvaluateCost();
        var summary = Solver.Solve(problem, Tight);
        Assert.Equal(map.FinalCost, before, 1e-9 * before);
        Assert.True(before - summary.FinalCost <= 1e-6 * before, $"re-solving still lowered the cost from {before} to {summary.FinalCost}");
    }

    [Fact]
    public void MovingOnePredictionChangesTheOptimalCostByTheEnvelopeGradient()
    {
        var clip = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 200, noisePx: 0.7, outlierFraction: 0.2, seed: 4);
        var map = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { BundleAdjustmentIterations = 200 }).Map!;
        int target = Array.FindIndex(map.Observations, o => o.IsInlier && o.Side == CorrespondenceSide.B && o.ResidualPx > 0.3);
        var problem = MapObjective.Build(map, clip.Cameras);
        Solver.Solve(problem, Tight);
        int inlierIndex = map.Observations.Take(target).Count(o => o.IsInlier);
        var analytic = ObservationGradient.OfCost(problem, problem.Observations[inlierIndex]);

        double Resolved(Vec2 delta)
        {
            var moved = MapObjective.Build(map, clip.Cameras, (i, o) => i == target ? o.PixelPx + delta : o.PixelPx);
            return Solver.Solve(moved, Tight).FinalCost;
        }
        const double eps = 1e-4;
        double fdX = (Resolved(new Vec2(eps, 0)) - Resolved(new Vec2(-eps, 0))) / (2 * eps);
        double fdY = (Resolved(new Vec2(0, eps)) - Resolved(new Vec2(0, -eps))) / (2 * eps);
        Assert.True(Math.Abs(fdX - analytic.X) <= 1e-4 * analytic.Norm, $"x: {fdX} vs {analytic.X}");
        Assert.True(Math.Abs(fdY - analytic.Y) <= 1e-4 * analytic.Norm, $"y: {fdY} vs {analytic.Y}");
    }
}
