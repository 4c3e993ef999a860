using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Evaluation;

public class RelativePoseEstimatorTests
{
    // TUM fr2's published calibration: strong enough distortion that skipping undistortion would show.
    private static readonly PinholeCamera Camera = new(640, 480, 520.9, 521.0, 325.1, 249.7, 0.2312, -0.7849, -0.0033, -0.0001, 0.9172);
    private static readonly Se3 BFromA = new(So3.Exp(new Vec3(0.03, -0.08, 0.02)), new Vec3(0.25, -0.04, 0.06));

    private static Correspondences ExactMatches(int count, int outliers = 0, int seed = 3)
    {
        var random = new Random(seed);
        var a = new List<Vec2>();
        var b = new List<Vec2>();
        while (a.Count < count)
        {
            var point = new Vec3(random.NextDouble() * 4 - 2, random.NextDouble() * 3 - 1.5, 3 + random.NextDouble() * 4);
            var pa = Camera.Project(point);
            var pb = Camera.Project(BFromA.Act(point));
            if (pa.X < 0 || pa.Y < 0 || pa.X > 639 || pa.Y > 479 || pb.X < 0 || pb.Y < 0 || pb.X > 639 || pb.Y > 479) continue;
            a.Add(pa);
            b.Add(a.Count <= outliers ? new Vec2(random.NextDouble() * 639, random.NextDouble() * 479) : pb);
        }
        return Correspondences.Create(0, 1, [.. a], [.. b]);
    }

    [Fact]
    public void ExactMatchesGiveTheTruePose()
    {
        var estimate = RelativePoseEstimator.Estimate(ExactMatches(200), Camera, Camera);
        Assert.NotNull(estimate);
        Assert.True(PoseAngularError.Degrees(estimate, BFromA) < 0.01, $"error {PoseAngularError.Degrees(estimate, BFromA)} deg");
        Assert.Equal(1, estimate.Value.Translation.Norm, 9);
    }

    [Fact]
    public void OutliersAreRejectedAndTheResultRepeats()
    {
        var matches = ExactMatches(300, outliers: 90);
        var first = RelativePoseEstimator.Estimate(matches, Camera, Camera);
        // OpenCV keeps the first sample with the most inliers and does not refit: here two outliers land within 0.5 px of
        // their epipolar lines, a sample holding one ties with the truth, and the estimate is off by 1.6 deg. That is the protocol.
        Assert.True(PoseAngularError.Degrees(first, BFromA) < 2, $"error {PoseAngularError.Degrees(first, BFromA)} deg");
        Assert.Equal(first, RelativePoseEstimator.Estimate(matches, Camera, Camera));
    }

    [Fact]
    public void TooFewMatchesFail()
    {
        Assert.Null(RelativePoseEstimator.Estimate(ExactMatches(4), Camera, Camera));
    }
}
