using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.BundleAdjustment.Internal;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Geometry.Tests.BundleAdjustment;

/// <summary>The Jacobian's buffers kept between solves on a thread: zero where asked, best fit, and a solve on them is a solve on fresh ones.</summary>
public class JacobianBuffersTests
{
    [Fact]
    public void AKeptBufferComesBackZeroedToTheLengthAskedTheSmallestThatFits()
    {
        Drain();
        double[] small = [.. Enumerable.Repeat(double.NaN, 10)], large = [.. Enumerable.Repeat(double.NaN, 100)];
        JacobianBuffers.Give(large);
        JacobianBuffers.Give(small);
        var taken = JacobianBuffers.Take(8);
        Assert.Same(small, taken);
        Assert.All(taken[..8], x => Assert.Equal(0, x));
        Assert.True(double.IsNaN(taken[8]));
        // Nothing kept fits: a new array of the length asked.
        var fresh = JacobianBuffers.Take(1000);
        Assert.Equal(1000, fresh.Length);
        Assert.Same(large, JacobianBuffers.Take(50));
        Assert.Equal(8, JacobianBuffers.Take(8).Length);
    }

    [Fact]
    public void OnceFullAGivenBufferReplacesTheSmallestKeptOneIfLarger()
    {
        Drain();
        var kept = Enumerable.Range(1, 3).Select(i => new double[10 * i]).ToArray();
        foreach (var a in kept) JacobianBuffers.Give(a);
        JacobianBuffers.Give(new double[5]);
        var larger = new double[1000];
        JacobianBuffers.Give(larger);
        Assert.Same(larger, JacobianBuffers.Take(100));
        // The 10-element buffer made way; the 5-element one was never kept.
        Assert.Same(kept[1], JacobianBuffers.Take(1));
    }

    [Fact]
    public void ASolveOnKeptBuffersFullOfNaNIsTheSolveOnFreshOnes()
    {
        Drain();
        var fresh = Solve();
        for (int i = 0; i < 3; i++) JacobianBuffers.Give([.. Enumerable.Repeat(double.NaN, 200_000)]);
        var kept = Solve();
        Assert.Equal(fresh.Cost, kept.Cost);
        Assert.Equal(fresh.Iterations, kept.Iterations);
        Assert.Equal(fresh.Points, kept.Points);
    }

    private static (double Cost, int Iterations, double[] Points) Solve()
    {
        var scene = SyntheticScene.Generate(cameras: 4, points: 300, noisePx: 1, outlierFraction: 0.1, seed: 5);
        var (problem, _, points, _) = scene.ToProblem(loss: new HuberLoss(1));
        var summary = Solver.Solve(problem, new SolverOptions { RobustCurvature = true, EmbeddedPointIterations = 3 });
        return (summary.FinalCost, summary.Iterations, [.. points.SelectMany(p => new[] { p.World.X, p.World.Y, p.World.Z })]);
    }

    /// <summary>Empties this thread's kept buffers (earlier tests on the thread may have left some).</summary>
    private static void Drain()
    {
        while (JacobianBuffers.Take(0) is { Length: > 0 }) { }
    }
}
