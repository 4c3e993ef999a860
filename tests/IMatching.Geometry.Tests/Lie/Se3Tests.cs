using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;
using static IMatching.Geometry.Tests.Lie.LieTestData;

namespace IMatching.Geometry.Tests.Lie;

public class Se3Tests
{
    public static TheoryData<double> AnglesBelowPi => new(LieTestData.Angles.Where(a => a < Math.PI));

    private static double[] RandomTangent(Random rng, double angle)
    {
        var w = angle * RandomUnit(rng);
        return [4 * rng.NextDouble() - 2, 4 * rng.NextDouble() - 2, 4 * rng.NextDouble() - 2, w.X, w.Y, w.Z];
    }

    private static Se3 RandomTransform(Random rng) => Se3.Exp(RandomTangent(rng, Math.PI * rng.NextDouble()));

    [Theory]
    [MemberData(nameof(AnglesBelowPi))]
    public void LogInvertsExp(double angle)
    {
        var rng = new Random(53);
        for (int i = 0; i < 20; i++)
        {
            var xi = RandomTangent(rng, angle);
            var t = Se3.Exp(xi);
            Assert.True(OrthonormalityError(t.Rotation) < 1e-14);
            // Near pi the translation map Jl^-1 grows like 1/(pi - angle); allow for that conditioning.
            Approx.Equal(xi, t.Log(), 1e-12 * Math.Max(1, 1e-3 / (Math.PI - angle)), $"angle {angle:R}");
        }
    }

    [Fact]
    public void ExpOfAHalfTurnRoundTripsThroughLog()
    {
        var rng = new Random(59);
        for (int i = 0; i < 10; i++)
        {
            var t = Se3.Exp(RandomTangent(rng, Math.PI));
            var back = Se3.Exp(t.Log());
            Approx.Equal(t.Rotation, back.Rotation, 1e-13);
            Approx.Equal(t.Translation, back.Translation, 1e-12);
        }
    }

    [Fact]
    public void ExpSplitsIntoRotationAndLeftJacobianTimesTranslation()
    {
        Assert.Equal(Se3.Identity, Se3.Exp(new double[6]));
        Assert.Equal(new Se3(Mat3.Identity, new Vec3(1, -2, 3)), Se3.Exp([1, -2, 3, 0, 0, 0]));
        // A quarter turn about z with upsilon along x: the screw motion ends at (sin, 1 - cos, 0) / (pi/2) * |upsilon|.
        var t = Se3.Exp([Math.PI / 2, 0, 0, 0, 0, Math.PI / 2]);
        Approx.Equal(So3.Exp(new Vec3(0, 0, Math.PI / 2)), t.Rotation, 1e-15);
        Approx.Equal(new Vec3(1, 1, 0), t.Translation, 1e-15);
    }

    [Fact]
    public void ExpRejectsATangentOfTheWrongLength()
    {
        Assert.Throws<ArgumentException>(() => Se3.Exp(new double[5]));
        Assert.Throws<ArgumentException>(() => Se3.Exp(new double[7]));
    }

    [Fact]
    public void ComposeInverseAndActAreConsistent()
    {
        var rng = new Random(61);
        for (int i = 0; i < 50; i++)
        {
            Se3 a = RandomTransform(rng), b = RandomTransform(rng), c = RandomTransform(rng);
            var p = new Vec3(10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5);

            AssertSame(Se3.Identity, a.Compose(a.Inverse()));
            AssertSame(Se3.Identity, a.Inverse().Compose(a));
            AssertSame(a, a.Inverse().Inverse());
            AssertSame(a, Se3.Identity.Compose(a));
            AssertSame(a, a.Compose(Se3.Identity));
            AssertSame(a.Compose(b).Compose(c), a.Compose(b.Compose(c)));
            AssertSame(b.Inverse().Compose(a.Inverse()), a.Compose(b).Inverse());

            Approx.Equal(a.Act(b.Act(p)), a.Compose(b).Act(p), 1e-13);
            Approx.Equal(p, a.Inverse().Act(a.Act(p)), 1e-13);
            Approx.Equal(a.Rotation * p + a.Translation, a.Act(p), 1e-15);
            Approx.Equal(a.Inverse().Translation, a.InverseTranslation, 1e-15);
            // The camera centre of cameraFromWorld maps to the camera origin.
            Approx.Equal(Vec3.Zero, a.Act(a.InverseTranslation), 1e-14);
            Assert.Equal(p, Se3.Identity.Act(p));
        }
    }

    [Fact]
    public void LeftPlusIsExpOfTheDeltaComposedOnTheLeft()
    {
        var rng = new Random(67);
        var t = RandomTransform(rng);
        Assert.Equal(t, t.LeftPlus(new double[6]));
        var delta = RandomTangent(rng, 0.3);
        AssertSame(Se3.Exp(delta).Compose(t), t.LeftPlus(delta));
    }

    [Theory]
    [MemberData(nameof(AnglesBelowPi))]
    public void ActJacobianLeftMatchesFiniteDifferences(double angle)
    {
        var rng = new Random(71);
        for (int i = 0; i < 5; i++)
        {
            var t = Se3.Exp(RandomTangent(rng, angle));
            var p = new Vec3(6 * rng.NextDouble() - 3, 6 * rng.NextDouble() - 3, 6 * rng.NextDouble() - 3);
            var analytic = new double[18];
            t.ActJacobianLeft(p, analytic);
            var numeric = FiniteDifference.Jacobian(d =>
            {
                var q = t.LeftPlus(d).Act(p);
                return [q.X, q.Y, q.Z];
            }, new double[6], 1e-6);
            Approx.Equal(numeric, analytic, 1e-8, $"angle {angle:R}");
        }
    }

    [Fact]
    public void ActJacobianLeftOverwritesTheWholeBuffer()
    {
        var t = Se3.Exp([0.1, 0.2, 0.3, 0.4, -0.5, 0.6]);
        var dirty = Enumerable.Repeat(double.NaN, 18).ToArray();
        var clean = new double[18];
        t.ActJacobianLeft(new Vec3(1, 2, 3), dirty);
        t.ActJacobianLeft(new Vec3(1, 2, 3), clean);
        Assert.Equal(clean, dirty);
    }

    [Fact]
    public void FromQuaternionUsesTheQuaternionsRotation()
    {
        var q = new UnitQuaternion(0.5, -0.5, 0.5, 0.5);
        var t = Se3.FromQuaternion(q, new Vec3(1, 2, 3));
        Assert.Equal(q.ToRotation(), t.Rotation);
        Assert.Equal(new Vec3(1, 2, 3), t.Translation);
    }

    [Fact]
    public void IsFiniteDetectsNaN()
    {
        Assert.True(Se3.Identity.IsFinite);
        Assert.False(new Se3(Mat3.Identity, new Vec3(0, double.NaN, 0)).IsFinite);
        Assert.False(new Se3(Mat3.Diagonal(1, double.PositiveInfinity, 1), Vec3.Zero).IsFinite);
    }

    private static void AssertSame(Se3 expected, Se3 actual)
    {
        Approx.Equal(expected.Rotation, actual.Rotation, 1e-13, "rotation");
        Approx.Equal(expected.Translation, actual.Translation, 1e-13, "translation");
    }
}
