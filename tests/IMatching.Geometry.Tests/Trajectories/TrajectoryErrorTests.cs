using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Trajectories;

namespace IMatching.Geometry.Tests.Trajectories;

public class TrajectoryErrorTests
{
    [Fact]
    public void StatisticsFollowTheTumScripts()
    {
        var stats = ErrorStatistics.From([3, 1, 4, 2]);
        Assert.Equal(4, stats.Count);
        Assert.Equal(Math.Sqrt(30 / 4.0), stats.Rmse, 1e-15);
        Assert.Equal(2.5, stats.Mean);
        Assert.Equal(2.5, stats.Median);
        Assert.Equal(4, stats.Max);
        Assert.Equal(2, ErrorStatistics.From([5, 2, 1]).Median);
        Assert.Throws<ArgumentException>(() => ErrorStatistics.From([]));
    }

    [Theory]
    [InlineData(0.4, 1.0)]
    [InlineData(3.0, 0.05)]
    [InlineData(Math.PI, 7.5)]
    public void AteOfATrajectoryAgainstItselfMovedBySim3IsZero(double angle, double scale)
    {
        var rng = new Random(41);
        var groundTruth = TrajectoryTestData.RandomTrajectory(rng, 60);
        var estimateFromTruth = TrajectoryTestData.RandomSim3(rng, angle, scale);
        var estimated = TrajectoryTestData.MoveWorld(groundTruth, estimateFromTruth);
        var pairs = TrajectoryTestData.Pair(estimated, groundTruth);

        var ate = AbsoluteTrajectoryError.Compute(pairs, TrajectoryAlignment.Sim3);
        Assert.Equal(60, ate.Translation.Count);
        Assert.True(ate.Translation.Max < 1e-11, $"max ATE {ate.Translation.Max}");
        Assert.Equal(1 / scale, ate.GroundTruthFromEstimate.Scale, 1e-12 / scale);

        // Relative motions only need the scale back.
        var rpe = RelativePoseError.Compute(pairs, delta: 3, scale: ate.GroundTruthFromEstimate.Scale);
        Assert.True(rpe.Translation.Max < 1e-11 && rpe.RotationDegrees.Max < 1e-9, $"RPE {rpe}");

        // Rigid alignment cannot undo a scale.
        var rigid = AbsoluteTrajectoryError.Compute(pairs, TrajectoryAlignment.Se3);
        Assert.Equal(1, rigid.GroundTruthFromEstimate.Scale);
        Assert.Equal(scale == 1, rigid.Translation.Max < 1e-11);
    }

    [Fact]
    public void AteMeasuresTheErrorLeftAfterAlignment()
    {
        // Ground truth on the corners of a unit square; the estimate has one corner lifted out of plane by 0.004.
        // Shift and tilt absorb three quarters of that; the saddle-shaped rest, +-0.001 alternately along z at the
        // corners, no rigid motion can remove (up to second-order terms in the ~0.002 rad tilt).
        Vec3[] truth = [new(0, 0, 0), new(1, 0, 0), new(1, 1, 0), new(0, 1, 0)];
        var estimate = (Vec3[])truth.Clone();
        estimate[2] = new Vec3(1, 1, 0.004);
        var pairs = truth.Select((c, i) => new PosePair(At(i, estimate[i]), At(i, c))).ToArray();
        var ate = AbsoluteTrajectoryError.Compute(pairs, TrajectoryAlignment.Se3);
        Assert.Equal(0.001, ate.Translation.Rmse, 1e-7);
        Assert.Equal(0.001, ate.Translation.Median, 1e-7);
        Assert.Equal(0.001, ate.Translation.Max, 1e-7);
    }

    /// <summary>
    /// Ground truth moves 1 along x per frame without turning. The estimate drifts 0.1 along y in the first step and
    /// turns 10 degrees about z in the second, while its own centres stay (0,0,0), (1,0.1,0), (2,0.1,0).
    /// </summary>
    [Fact]
    public void RpeMatchesAHandComputedExample()
    {
        var turn = So3.Exp(new Vec3(0, 0, 10 * Math.PI / 180));
        PosePair[] pairs =
        [
            new(At(0, Vec3.Zero), At(0, Vec3.Zero)),
            new(At(1, new Vec3(1, 0.1, 0)), At(1, new Vec3(1, 0, 0))),
            new(At(2, new Vec3(2, 0.1, 0), turn), At(2, new Vec3(2, 0, 0))),
        ];

        // Step 0->1: motion (I, (1, 0.1, 0)) against (I, (1, 0, 0)): 0.1, 0 deg. Step 1->2: (turn, (1, 0, 0)) against
        // (I, (1, 0, 0)): E = (turn, 0), so 0 and 10 deg.
        var rpe = RelativePoseError.Compute(pairs);
        Assert.Equal(1, rpe.Delta);
        Assert.Equal(2, rpe.Translation.Count);
        Assert.Equal(Math.Sqrt(0.01 / 2), rpe.Translation.Rmse, 1e-14);
        Assert.Equal(0.05, rpe.Translation.Mean, 1e-14);
        Assert.Equal(0.1, rpe.Translation.Max, 1e-14);
        Assert.Equal(Math.Sqrt(100 / 2.0), rpe.RotationDegrees.Rmse, 1e-12);
        Assert.Equal(10, rpe.RotationDegrees.Max, 1e-12);

        // Over 2 frames: motion (turn, (2, 0.1, 0)) against (I, (2, 0, 0)): E = (turn, (0, 0.1, 0)).
        var two = RelativePoseError.Compute(pairs, delta: 2);
        Assert.Equal(1, two.Translation.Count);
        Assert.Equal(0.1, two.Translation.Rmse, 1e-14);
        Assert.Equal(10, two.RotationDegrees.Rmse, 1e-12);

        // Scale 2 doubles the estimated motions first: step 0->1 becomes (2, 0.2, 0), error (1, 0.2, 0).
        var scaled = RelativePoseError.Compute(pairs, delta: 1, scale: 2);
        Assert.Equal(Math.Sqrt(1.04), scaled.Translation.Max, 1e-14);

        Assert.Throws<ArgumentException>(() => RelativePoseError.Compute(pairs, delta: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => RelativePoseError.Compute(pairs, delta: 0));
    }

    private static TimedPose At(double timestamp, Vec3 centre) => At(timestamp, centre, Mat3.Identity);

    private static TimedPose At(double timestamp, Vec3 centre, Mat3 worldFromCameraRotation) =>
        new(timestamp, new Se3(worldFromCameraRotation, centre).Inverse());
}
