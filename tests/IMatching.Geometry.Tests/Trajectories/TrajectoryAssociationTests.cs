using IMatching.Geometry.Lie;
using IMatching.Geometry.Trajectories;

namespace IMatching.Geometry.Tests.Trajectories;

public class TrajectoryAssociationTests
{
    private static Trajectory At(params double[] timestamps) => new(timestamps.Select(t => new TimedPose(t, Se3.Identity)));

    private static (double Est, double Gt)[] Times(IReadOnlyList<PosePair> pairs) =>
        [.. pairs.Select(p => (p.Estimated.Timestamp, p.GroundTruth.Timestamp))];

    [Fact]
    public void EachEstimateGetsTheNearestGroundTruthWithinTheLimit()
    {
        var gt = At(0.0, 0.1, 0.2, 0.3, 0.4);
        var est = At(0.005, 0.111, 0.24, 0.39);
        Assert.Equal([(0.005, 0.0), (0.111, 0.1), (0.39, 0.4)], Times(TrajectoryAssociation.Associate(est, gt)));
        Assert.Equal([(0.005, 0.0), (0.111, 0.1), (0.24, 0.2), (0.39, 0.4)], Times(TrajectoryAssociation.Associate(est, gt, 0.05)));
    }

    [Fact]
    public void PosesAreUsedOnceClosestPairsFirst()
    {
        // Both estimates are nearest to 1.0; the closer one takes it and the other falls back to 0.97 if that is in reach.
        var gt = At(0.97, 1.0);
        var est = At(0.99, 1.002);
        Assert.Equal([(0.99, 0.97), (1.002, 1.0)], Times(TrajectoryAssociation.Associate(est, gt, 0.03)));
        Assert.Equal([(1.002, 1.0)], Times(TrajectoryAssociation.Associate(est, gt, 0.015)));
    }

    [Fact]
    public void InvalidLimitIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryAssociation.Associate(At(1), At(1), -0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrajectoryAssociation.Associate(At(1), At(1), double.NaN));
    }

    [Fact]
    public void TrajectoryRefusesUnorderedTimestamps() =>
        Assert.Throws<ArgumentException>(() => At(1, 3, 2));
}
