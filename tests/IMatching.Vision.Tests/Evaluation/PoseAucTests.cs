using IMatching.Vision.Evaluation;

namespace IMatching.Vision.Tests.Evaluation;

public class PoseAucTests
{
    [Fact]
    public void IntegratesTheSortedErrorCurveAsSuperGlueDoes()
    {
        // Recall steps 0.25 at errors 1, 3, 7, 30 (given unsorted). Up to 5: trapezoids 0-1 (0.125), 1-3 (0.75), then
        // flat at 0.5 to 5 (1.0) = 1.875 / 5. Up to 10: 0.875 + 3-7 (2.5) + flat 0.75 to 10 (2.25) = 5.625 / 10.
        // Up to 20: 3.375 + flat 0.75 over 7-20 (9.75) = 13.125 / 20.
        var aucs = PoseAuc.Compute([7, 1, 30, 3], MetricThresholds.Degrees);
        Assert.Equal(0.375, aucs[0], 12);
        Assert.Equal(0.5625, aucs[1], 12);
        Assert.Equal(0.65625, aucs[2], 12);
    }

    [Fact]
    public void PerfectAndFailedPairsBoundTheScale()
    {
        Assert.Equal([1.0, 1, 1], PoseAuc.Compute([0, 0], MetricThresholds.Degrees));
        Assert.Equal([0.0, 0, 0], PoseAuc.Compute([PoseAngularError.FailureDegrees], MetricThresholds.Degrees));
        // An error equal to the threshold is not under it (searchsorted on the left, as in pose_auc).
        Assert.Equal(0, PoseAuc.Compute([5], [5])[0]);
    }
}
