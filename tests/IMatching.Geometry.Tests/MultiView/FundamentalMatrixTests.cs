using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;

namespace IMatching.Geometry.Tests.MultiView;

public class FundamentalMatrixTests
{
    [Fact]
    public void Projections_of_one_point_satisfy_the_epipolar_constraint()
    {
        var random = new Random(7);
        Mat3 kA = FundamentalMatrix.Intrinsics(500, 510, 320, 240), kB = FundamentalMatrix.Intrinsics(480, 470, 300, 250);
        for (int trial = 0; trial < 20; trial++)
        {
            Se3 a = Se3.Exp([Next(random), Next(random), Next(random), 0.2 * Next(random), 0.2 * Next(random), 0.2 * Next(random)]);
            Se3 b = Se3.Exp([Next(random), Next(random), Next(random), 0.2 * Next(random), 0.2 * Next(random), 0.2 * Next(random)]);
            Mat3 f = FundamentalMatrix.FromPoses(a, b, kA, kB);
            var world = a.Inverse().Act(new Vec3(Next(random), Next(random), 4 + Next(random)));
            Vec3 xA = Pixel(kA, a.Act(world)), xB = Pixel(kB, b.Act(world));
            var line = f * xA;
            double distancePx = Math.Abs(xB.X * line.X + xB.Y * line.Y + line.Z) / Math.Sqrt(line.X * line.X + line.Y * line.Y);
            Assert.True(distancePx < 1e-8, $"trial {trial}: {distancePx} px off the epipolar line");
        }
    }

    private static double Next(Random random) => 2 * random.NextDouble() - 1;

    private static Vec3 Pixel(Mat3 k, Vec3 pointInCamera)
    {
        var p = k * pointInCamera;
        return new Vec3(p.X / p.Z, p.Y / p.Z, 1);
    }
}
