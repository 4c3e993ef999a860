using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Evaluation;

public class EpipolarErrorsTests
{
    [Fact]
    public void SidewaysMotionGivesHorizontalEpipolarLines()
    {
        // Translation along x: epipolar lines are image rows, so only the vertical offset counts, in pixels.
        var camera = new PinholeCamera(640, 480, 500, 500, 320, 240);
        var bFromA = new Se3(Mat3.Identity, new Vec3(1, 0, 0));
        var matches = Correspondences.Create(0, 1,
            [new Vec2(100, 200), new Vec2(400, 300), new Vec2(320, 240)],
            [new Vec2(150, 202), new Vec2(380, 300), new Vec2(300, 233)]);

        var errors = EpipolarErrors.Compute(matches, camera, bFromA, camera);

        Assert.Equal(2, errors[0], 9);
        Assert.Equal(0, errors[1], 9);
        Assert.Equal(7, errors[2], 9);
    }

    [Fact]
    public void SymmetricDistanceAveragesBothImages()
    {
        // Forward motion: lines through the principal point. A = (0.1, 0) normalised gives the x axis in B; B = (0, 0.1)
        // lies 0.1 off it; B's line in A is the y axis and A lies 0.1 off it. Focal 500 in A and 1000 in B: (50 + 100) / 2.
        var e = Mat3.Hat(new Vec3(0, 0, 1));
        Assert.Equal(75, EpipolarErrors.DistancePx(e, new Vec3(0.1, 0, 1), new Vec3(0, 0.1, 1), 500, 1000), 9);
    }

    [Fact]
    public void UndistortsBeforeMeasuring()
    {
        // The exact projections of one 3D point into two distorted cameras lie on each other's epipolar lines.
        var camera = new PinholeCamera(640, 480, 520, 521, 325, 250, 0.23, -0.78, -0.003, -0.0001, 0.92);
        var bFromA = new Se3(So3.Exp(new Vec3(0.02, -0.05, 0.01)), new Vec3(0.3, 0.05, 0.02));
        var point = new Vec3(0.8, -0.6, 2.5);
        var matches = Correspondences.Create(0, 1, [camera.Project(point)], [camera.Project(bFromA.Act(point))]);
        Assert.True(EpipolarErrors.Compute(matches, camera, bFromA, camera)[0] < 1e-6);
    }
}
