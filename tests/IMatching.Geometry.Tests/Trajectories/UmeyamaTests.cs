using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.Lie;
using IMatching.Geometry.Tests.TestSupport;
using IMatching.Geometry.Trajectories;

namespace IMatching.Geometry.Tests.Trajectories;

public class UmeyamaTests
{
    private static Vec3[] RandomPoints(Random rng, int count, double spread) =>
        [.. Enumerable.Range(0, count).Select(_ => spread * new Vec3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1))];

    private static void AssertSame(Sim3 expected, Sim3 actual, double tolerance)
    {
        Assert.Equal(expected.Scale, actual.Scale, tolerance * expected.Scale);
        Approx.Equal(expected.Rotation, actual.Rotation, tolerance, "rotation");
        Approx.Equal(expected.Translation, actual.Translation, tolerance, "translation");
        Assert.True(LieTestData.OrthonormalityError(actual.Rotation) < 1e-13, "rotation is not a proper rotation");
    }

    public static TheoryData<double> Angles() => new([0, 0.3, 2, 3, Math.PI - 1e-5, Math.PI - 1e-9, Math.PI]);

    [Theory]
    [MemberData(nameof(Angles))]
    public void KnownSimilarityIsRecoveredExactlyFromNoiseFreePoints(double angle)
    {
        var rng = new Random(3 + (int)(angle * 1000));
        foreach (var scale in new[] { 1e-2, 0.7, 1, 25 })
        {
            var truth = TrajectoryTestData.RandomSim3(rng, angle, scale);
            var source = RandomPoints(rng, 12, 3);
            var target = source.Select(truth.Act).ToArray();
            AssertSame(truth, Umeyama.Align(source, target, withScale: true), 1e-11);
            AssertSame(truth with { Scale = 1 }, Umeyama.Align(source, source.Select((truth with { Scale = 1 }).Act).ToArray(), withScale: false), 1e-11);
        }
    }

    [Fact]
    public void NoisyPointsGiveACloseSimilarity()
    {
        var rng = new Random(17);
        for (int trial = 0; trial < 20; trial++)
        {
            var truth = TrajectoryTestData.RandomSim3(rng, Math.PI * rng.NextDouble(), 0.5 + 3 * rng.NextDouble());
            var source = RandomPoints(rng, 200, 2);
            var target = source.Select(p => truth.Act(p) + 0.01 * new Vec3(Gaussian(rng), Gaussian(rng), Gaussian(rng))).ToArray();
            var found = Umeyama.Align(source, target, withScale: true);
            Assert.Equal(truth.Scale, found.Scale, 0.01 * truth.Scale);
            Assert.True(So3.AngleBetween(truth.Rotation, found.Rotation) < 0.005, $"trial {trial}: rotation off by {So3.AngleBetween(truth.Rotation, found.Rotation)}");
            Assert.True((truth.Translation - found.Translation).Norm < 0.02 * truth.Scale + 0.01, $"trial {trial}: translation off");
        }
    }

    /// <summary>
    /// Coplanar points give a rank-2 cross-covariance whose SVD may pair U and V into a reflection (det U V^T = -1)
    /// even for noise-free data; the naive U V^T (Arun's method) then mirrors the points through their plane.
    /// </summary>
    [Fact]
    public void CoplanarPointsGiveTheRotationNotItsReflection()
    {
        var rng = new Random(23);
        for (int trial = 0; trial < 50; trial++)
        {
            var truth = TrajectoryTestData.RandomSim3(rng, Math.PI * rng.NextDouble(), 2);
            var source = RandomPoints(rng, 6, 1).Select(p => p with { Z = 0 }).ToArray();
            var target = source.Select(truth.Act).ToArray();
            AssertSame(truth, Umeyama.Align(source, target, withScale: true), 1e-11);
        }
    }

    /// <summary>A mirrored target is best fitted by a reflection, which must not be returned: the answer is the best proper rotation.</summary>
    [Fact]
    public void MirroredTargetGivesTheBestProperRotation()
    {
        var rng = new Random(29);
        var source = RandomPoints(rng, 30, 1).Select(p => new Vec3(3 * p.X, 2 * p.Y, p.Z)).ToArray();
        var target = source.Select(p => p with { Z = -p.Z }).ToArray();
        var found = Umeyama.Align(source, target, withScale: false);
        Assert.True(LieTestData.OrthonormalityError(found.Rotation) < 1e-13);
        double best = Cost(found, source, target);
        for (int i = 0; i < 200; i++)
        {
            var perturbed = found with { Rotation = So3.Exp(LieTestData.RandomRotationVector(rng, 0.05)) * found.Rotation };
            perturbed = perturbed with { Translation = Mean(target) - perturbed.Rotation * Mean(source) };
            Assert.True(Cost(perturbed, source, target) >= best - 1e-12, "a nearby rotation fits better");
        }
    }

    [Fact]
    public void DegenerateInputIsRefused()
    {
        var line = Enumerable.Range(0, 10).Select(i => new Vec3(i, 2 * i, -i)).ToArray();
        var same = Enumerable.Repeat(new Vec3(1, 2, 3), 5).ToArray();
        var two = new[] { new Vec3(0, 0, 0), new Vec3(1, 0, 0) };
        Assert.Contains("collinear", Assert.Throws<ArgumentException>(() => Umeyama.Align(line, line, withScale: true)).Message);
        Assert.Contains("coincide", Assert.Throws<ArgumentException>(() => Umeyama.Align(same, same, withScale: false)).Message);
        // One set collapsed to a point while the other spreads: the cross-covariance is ~0 in every direction alike,
        // so its singular values look well conditioned, yet any scale found would be noise.
        var spread = new[] { new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1) };
        var collapsed = Enumerable.Repeat(new Vec3(0.3, -1.7, 2.9), 4).ToArray();
        Assert.Contains("source points coincide", Umeyama.Degeneracy(collapsed, spread));
        Assert.Contains("target points coincide", Umeyama.Degeneracy(spread, collapsed));
        Assert.Null(Umeyama.Degeneracy(spread, spread));
        Assert.Contains("at least 3", Assert.Throws<ArgumentException>(() => Umeyama.Align(two, two, withScale: true)).Message);
        Assert.Throws<ArgumentException>(() => Umeyama.Align(line, line[..5], withScale: true));
        var withNaN = (Vec3[])line.Clone();
        withNaN[3] = new Vec3(double.NaN, 0, 0);
        Assert.Throws<ArgumentException>(() => Umeyama.Align(withNaN, line, withScale: true));
    }

    private static double Cost(Sim3 transform, Vec3[] source, Vec3[] target) =>
        source.Zip(target, (s, t) => (t - transform.Act(s)).SquaredNorm).Sum();

    private static Vec3 Mean(Vec3[] points) => points.Aggregate(Vec3.Zero, (a, b) => a + b) / points.Length;

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
