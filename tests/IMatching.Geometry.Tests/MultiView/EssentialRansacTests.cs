using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;

namespace IMatching.Geometry.Tests.MultiView;

public class EssentialRansacTests
{
    private static readonly Se3 BFromA = new(So3.Exp(new Vec3(0.02, -0.05, 0.01)), new Vec3(0.8, 0.1, 0.2).Normalized());

    /// <summary>Normalised matches of random points 2-8 units in front of camera A, with noise and planted outliers.</summary>
    private static (Vec2[] A, Vec2[] B, bool[] Outlier) Matches(int n, double noise, double outlierFraction, int seed)
    {
        var rng = new Random(seed);
        var a = new Vec2[n];
        var b = new Vec2[n];
        var outlier = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var x = new Vec3(rng.NextDouble() * 4 - 2, rng.NextDouble() * 3 - 1.5, 2 + 6 * rng.NextDouble());
            var xb = BFromA.Act(x);
            a[i] = new Vec2(x.X / x.Z + noise * (rng.NextDouble() - 0.5), x.Y / x.Z + noise * (rng.NextDouble() - 0.5));
            b[i] = new Vec2(xb.X / xb.Z + noise * (rng.NextDouble() - 0.5), xb.Y / xb.Z + noise * (rng.NextDouble() - 0.5));
            if (rng.NextDouble() < outlierFraction)
            {
                outlier[i] = true;
                b[i] = new Vec2(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
            }
        }
        return (a, b, outlier);
    }

    [Fact]
    public void MinimalFitOnExactMatchesIsTheTrueEssentialMatrix()
    {
        var (a, b, _) = Matches(8, 0, 0, 3);
        var e = EssentialMatrix.FitMinimal(a, b, [0, 1, 2, 3, 4, 5, 6, 7])!.Value;
        var truth = EssentialMatrix.FromPose(BFromA);
        double scale = truth.FrobeniusNorm / e.FrobeniusNorm * Math.Sign(Dot(truth, e));
        Assert.True((scale * e - truth).FrobeniusNorm < 1e-9 * truth.FrobeniusNorm);
        for (int i = 0; i < 8; i++) Assert.True(EssentialMatrix.SampsonSquared(e, a[i], b[i]) < 1e-20);
    }

    [Fact]
    public void RansacRecoversThePoseThroughThirtyPercentOutliers()
    {
        var (a, b, outlier) = Matches(300, 0.002, 0.3, 5);
        var estimate = EssentialRansac.Estimate(a, b, thresholdNormalized: 0.003, seed: 1)!;
        var inFront = new bool[a.Length];
        var (pose, count) = EssentialMatrix.RecoverPose(estimate.E, a, b, estimate.Inliers, inFront);

        Assert.True(So3.AngleBetween(pose.Rotation, BFromA.Rotation) * 180 / Math.PI < 0.2);
        Assert.True(Math.Acos(Math.Clamp(pose.Translation.Dot(BFromA.Translation), -1, 1)) * 180 / Math.PI < 2);
        int wrongInliers = Enumerable.Range(0, a.Length).Count(i => estimate.Inliers[i] && outlier[i]);
        int trueInliers = outlier.Count(o => !o);
        Assert.True(wrongInliers <= 3, $"{wrongInliers} outliers accepted");
        Assert.True(estimate.InlierCount >= 0.9 * trueInliers, $"{estimate.InlierCount} of {trueInliers}");
        Assert.True(count >= 0.9 * estimate.InlierCount);
    }

    [Fact]
    public void SameSeedSameResult()
    {
        var (a, b, _) = Matches(200, 0.002, 0.2, 9);
        var first = EssentialRansac.Estimate(a, b, 0.003, seed: 4)!;
        var second = EssentialRansac.Estimate(a, b, 0.003, seed: 4)!;
        Assert.Equal(first.Inliers, second.Inliers);
        Assert.Equal(first.E, second.E);
    }

    [Fact]
    public void TooFewMatchesGiveNothing() => Assert.Null(EssentialRansac.Estimate(new Vec2[7], new Vec2[7], 0.01));

    [Fact]
    public void SymmetricEigenDecompositionReconstructsTheMatrix()
    {
        var rng = new Random(2);
        const int n = 9;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.NextDouble() - 0.5;
        var copy = (double[])a.Clone();
        var values = new double[n];
        var vectors = new double[n * n];
        SymmetricEigen.Decompose(copy, n, values, vectors);
        for (int k = 0; k + 1 < n; k++) Assert.True(values[k] <= values[k + 1]);
        for (int k = 0; k < n; k++)
            for (int i = 0; i < n; i++)
            {
                double av = 0;
                for (int j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
                Assert.Equal(values[k] * vectors[i * n + k], av, 1e-12);
            }
    }

    private static double Dot(Mat3 x, Mat3 y) =>
        x.M00 * y.M00 + x.M01 * y.M01 + x.M02 * y.M02 + x.M10 * y.M10 + x.M11 * y.M11 + x.M12 * y.M12 + x.M20 * y.M20 + x.M21 * y.M21 + x.M22 * y.M22;
}
