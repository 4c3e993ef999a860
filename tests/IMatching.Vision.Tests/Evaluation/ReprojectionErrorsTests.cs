using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.Evaluation;

public class ReprojectionErrorsTests
{
    private static DepthMap ConstantDepth(float metres, int width = 640, int height = 480)
    {
        var values = Enumerable.Repeat(metres, width * height).ToArray();
        values[10 * width + 10] = float.NaN; // pixel (10, 10) has no measurement
        return new DepthMap(width, height, values);
    }

    [Fact]
    public void LiftsMovesAndProjectsEachQuery()
    {
        var camera = new PinholeCamera(640, 480, 500, 500, 320, 240);
        var bFromA = new Se3(Mat3.Identity, new Vec3(-0.1, 0, 0)); // B sits 10 cm to the right of A
        // The centre pixel at 2 m is (0, 0, 2) in A and (-0.1, 0, 2) in B: u = 500 * -0.05 + 320 = 295.
        // Pixel (420, 240) at 2 m is (0.4, 0, 2) in A and (0.3, 0, 2) in B: u = 395.
        var matches = Correspondences.Create(0, 1,
            [new Vec2(320, 240), new Vec2(420, 240), new Vec2(10, 10), new Vec2(-5, 3)],
            [new Vec2(295, 241), new Vec2(398, 244), new Vec2(0, 0), new Vec2(0, 0)]);

        var errors = ReprojectionErrors.Compute(matches, camera, ConstantDepth(2), bFromA, camera);

        Assert.Equal(1, errors[0], 9);
        Assert.Equal(5, errors[1], 9);
        Assert.True(double.IsNaN(errors[2]), "no depth at the query");
        Assert.True(double.IsNaN(errors[3]), "query outside the depth map");
        Assert.Equal([0.5, 0.5, 0.5, 1, 1], ThresholdFractions.Compute(errors, MetricThresholds.Pixels)!);
    }

    [Fact]
    public void ProjectsIntoBWithItsDistortion()
    {
        var cameraA = new PinholeCamera(640, 480, 500, 500, 320, 240);
        var cameraB = cameraA with { K1 = 0.1 };
        var bFromA = new Se3(Mat3.Identity, new Vec3(0.1, 0, 0));
        // (0, 0, 2) -> (0.1, 0, 2): x = 0.05, r^2 = 0.0025, radial 1.00025, u = 500 * 0.05 * 1.00025 + 320 = 345.00625.
        var matches = Correspondences.Create(0, 1, [new Vec2(320, 240)], [new Vec2(345, 240)]);
        Assert.Equal(0.00625, ReprojectionErrors.Compute(matches, cameraA, ConstantDepth(2), bFromA, cameraB)[0], 9);
    }

    [Fact]
    public void PointsBehindBAreNotJudged()
    {
        var camera = new PinholeCamera(640, 480, 500, 500, 320, 240);
        var bFromA = new Se3(Mat3.Identity, new Vec3(0, 0, -3));
        var matches = Correspondences.Create(0, 1, [new Vec2(320, 240)], [new Vec2(320, 240)]);
        Assert.True(double.IsNaN(ReprojectionErrors.Compute(matches, camera, ConstantDepth(2), bFromA, camera)[0]));
    }
}
