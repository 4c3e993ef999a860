using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;

namespace IMatching.Geometry.Tests.MultiView;

public class PnpRansacTests
{
    private const double Focal = 500;
    private static readonly Se3 CameraFromWorld = new(So3.Exp(new Vec3(0.3, -0.5, 0.2)), new Vec3(0.4, -0.3, 1.2));

    /// <summary>
    /// Points 2-10 units in front of the camera within a ±0.6 normalised field of view; Gaussian image noise of
    /// <paramref name="noisePx"/> at a 500 px focal length; planted outliers moved anywhere in the image.
    /// </summary>
    private static (Vec3[] World, Vec2[] Image, bool[] Outlier) Matches(int n, double noisePx, double outlierFraction, int seed)
    {
        var random = new Random(seed);
        var world = new Vec3[n];
        var image = new Vec2[n];
        var outlier = new bool[n];
        var worldFromCamera = CameraFromWorld.Inverse();
        for (int i = 0; i < n; i++)
        {
            double depth = 2 + 8 * random.NextDouble();
            var inCamera = depth * new Vec3(1.2 * random.NextDouble() - 0.6, 1.2 * random.NextDouble() - 0.6, 1);
            world[i] = worldFromCamera.Act(inCamera);
            image[i] = new Vec2(inCamera.X / inCamera.Z + noisePx / Focal * Gaussian(random), inCamera.Y / inCamera.Z + noisePx / Focal * Gaussian(random));
            if (random.NextDouble() < outlierFraction)
            {
                outlier[i] = true;
                image[i] = new Vec2(1.2 * random.NextDouble() - 0.6, 1.2 * random.NextDouble() - 0.6);
            }
        }
        return (world, image, outlier);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Recovers_the_pose_through_forty_percent_outliers_and_flags_them()
    {
        var (world, image, outlier) = Matches(300, 0.5, 0.4, 21);
        var estimate = PnpRansac.Estimate(world, image, thresholdNormalized: 2 / Focal, seed: 3)!;

        double angleDeg = So3.AngleBetween(estimate.CameraFromWorld.Rotation, CameraFromWorld.Rotation) * 180 / Math.PI;
        double centreError = (estimate.CameraFromWorld.InverseTranslation - CameraFromWorld.InverseTranslation).Norm;
        Assert.True(angleDeg < 0.05, $"rotation off by {angleDeg} deg");
        Assert.True(centreError < 0.01, $"centre off by {centreError}");
        int acceptedOutliers = Enumerable.Range(0, world.Length).Count(i => estimate.Inliers[i] && outlier[i]);
        int missedInliers = Enumerable.Range(0, world.Length).Count(i => !estimate.Inliers[i] && !outlier[i]);
        int trueInliers = outlier.Count(o => !o);
        Assert.True(acceptedOutliers <= 2, $"{acceptedOutliers} outliers accepted");
        Assert.True(missedInliers <= 0.02 * trueInliers, $"{missedInliers} of {trueInliers} inliers missed");
        Assert.Equal(estimate.Inliers.Count(f => f), estimate.InlierCount);
    }

    [Fact]
    public void Refinement_lowers_the_inliers_reprojection_error()
    {
        var (world, image, _) = Matches(200, 0.5, 0.3, 22);
        var raw = PnpRansac.Estimate(world, image, 2 / Focal, seed: 5, refine: false)!;
        var refined = PnpRansac.Estimate(world, image, 2 / Focal, seed: 5)!;
        double rawRms = RmsPx(raw.CameraFromWorld, world, image, raw.Inliers);
        double refinedRms = RmsPx(refined.CameraFromWorld, world, image, raw.Inliers);
        Assert.True(refined.InlierCount >= raw.InlierCount);
        // The noise is 0.5 px an axis, 0.71 px in the plane: the optimum's residual is about that, a minimal-sample pose's larger.
        Assert.True(refinedRms < rawRms, $"{refinedRms} px refined, {rawRms} px not");
        Assert.True(refinedRms < 0.75, $"{refinedRms} px refined");
    }

    [Fact]
    public void Exact_matches_give_the_exact_pose()
    {
        var (world, image, _) = Matches(50, 0, 0, 23);
        var estimate = PnpRansac.Estimate(world, image, 1e-6)!;
        Assert.Equal(50, estimate.InlierCount);
        Assert.True((estimate.CameraFromWorld.Rotation - CameraFromWorld.Rotation).FrobeniusNorm < 1e-9);
        Assert.True((estimate.CameraFromWorld.Translation - CameraFromWorld.Translation).Norm < 1e-9);
    }

    [Fact]
    public void Points_behind_the_camera_are_not_inliers()
    {
        var (world, image, _) = Matches(40, 0, 0, 24);
        // Mirror ten points through the camera centre: same image point, negative depth.
        var centre = CameraFromWorld.InverseTranslation;
        for (int i = 0; i < 10; i++) world[i] = centre - (world[i] - centre);
        var estimate = PnpRansac.Estimate(world, image, 1e-6)!;
        Assert.Equal(30, estimate.InlierCount);
        Assert.All(Enumerable.Range(0, 10), i => Assert.False(estimate.Inliers[i]));
    }

    [Fact]
    public void Same_seed_same_result()
    {
        var (world, image, _) = Matches(150, 0.5, 0.3, 25);
        var first = PnpRansac.Estimate(world, image, 2 / Focal, seed: 8)!;
        var second = PnpRansac.Estimate(world, image, 2 / Focal, seed: 8)!;
        Assert.Equal(first.Inliers, second.Inliers);
        Assert.Equal(first.CameraFromWorld, second.CameraFromWorld);
        Assert.Equal(first.Iterations, second.Iterations);
    }

    [Fact]
    public void Fewer_than_four_matches_give_nothing()
    {
        var (world, image, _) = Matches(3, 0, 0, 26);
        Assert.Null(PnpRansac.Estimate(world, image, 1e-3));
        Assert.Null(PnpRansac.Estimate(world.AsSpan(0, 0), image.AsSpan(0, 0), 1e-3));
    }

    [Fact]
    public void Mismatched_lengths_give_nothing()
    {
        var (world, image, _) = Matches(10, 0, 0, 27);
        Assert.Null(PnpRansac.Estimate(world, image.AsSpan(0, 9), 1e-3));
    }

    [Fact]
    public void Pure_noise_finds_few_inliers()
    {
        var random = new Random(28);
        var world = Enumerable.Range(0, 100).Select(_ => new Vec3(random.NextDouble(), random.NextDouble(), 3 + random.NextDouble())).ToArray();
        var image = Enumerable.Range(0, 100).Select(_ => new Vec2(random.NextDouble() - 0.5, random.NextDouble() - 0.5)).ToArray();
        var estimate = PnpRansac.Estimate(world, image, 2 / Focal, maxIterations: 200);
        Assert.True(estimate is null || estimate.InlierCount < 10, $"{estimate?.InlierCount} inliers in noise");
    }

    private static double RmsPx(Se3 pose, Vec3[] world, Vec2[] image, bool[] use)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < world.Length; i++)
        {
            if (!use[i]) continue;
            var p = pose.Act(world[i]);
            var d = new Vec2(p.X / p.Z, p.Y / p.Z) - image[i];
            sum += d.X * d.X + d.Y * d.Y;
            count++;
        }
        return Focal * Math.Sqrt(sum / count);
    }
}
