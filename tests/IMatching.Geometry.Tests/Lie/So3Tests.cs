using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;
using static IMatching.Geometry.Tests.Lie.LieTestData;

namespace IMatching.Geometry.Tests.Lie;

public class So3Tests
{
    public static TheoryData<double> Angles => AngleData();

    /// <summary>Angles strictly below pi, where the logarithm is unique.</summary>
    public static TheoryData<double> AnglesBelowPi => new(LieTestData.Angles.Where(a => a < Math.PI));

    public static TheoryData<double, double, double> PiAxes => new()
    {
        { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 1, 0 }, { 0, -1, 1 }, { 1, -1, 1 }, { -0.3, 0.8, 0.52 }, { 1e-3, 1, -2e-3 },
    };

    [Theory]
    [MemberData(nameof(AnglesBelowPi))]
    public void LogInvertsExp(double angle)
    {
        var rng = new Random(17);
        for (int i = 0; i < 20; i++)
        {
            var w = angle * RandomUnit(rng);
            var back = So3.Log(So3.Exp(w));
            // Relative accuracy at every scale, including 1e-12 where an absolute test would be vacuous.
            Assert.True((back - w).Norm <= 1e-12 * angle, $"angle {angle:R}: Log(Exp({w})) = {back}, error {(back - w).Norm:G3}");
        }
    }

    [Theory]
    [MemberData(nameof(Angles))]
    public void ExpOfLogReproducesTheRotationAndIsOrthonormal(double angle)
    {
        var rng = new Random(23);
        for (int i = 0; i < 20; i++)
        {
            var r = So3.Exp(angle * RandomUnit(rng));
            var w = So3.Log(r);
            Assert.InRange(w.Norm, 0, Math.PI * (1 + 1e-15));
            var back = So3.Exp(w);
            Approx.Equal(r, back, 1e-13, $"angle {angle:R}");
            Assert.True(OrthonormalityError(back) < 1e-14, $"angle {angle:R}: orthonormality error {OrthonormalityError(back):G3}");
        }
    }

    [Theory]
    [MemberData(nameof(PiAxes))]
    public void LogOfHalfTurnHasAnglePiAboutTheAxis(double x, double y, double z)
    {
        var n = new Vec3(x, y, z).Normalized();
        // A half turn is R = 2 n n^T - I, symmetric; its log is +-pi n.
        var r = 2 * Mat3.Outer(n, n) - Mat3.Identity;
        foreach (var rotation in new[] { r, So3.Exp(Math.PI * n), So3.Exp(-Math.PI * n) })
        {
            var w = So3.Log(rotation);
            Assert.Equal(Math.PI, w.Norm, 1e-12);
            Assert.True(w.Cross(n).Norm < 1e-12, $"log {w} is not along {n}");
            var back = So3.Exp(w);
            Approx.Equal(rotation, back, 1e-13);
            Assert.True(OrthonormalityError(back) < 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(Angles))]
    public void LeftJacobianMatchesFiniteDifferencesOfExp(double angle)
    {
        var rng = new Random(31);
        for (int i = 0; i < 5; i++)
        {
            var w = angle * RandomUnit(rng);
            var rT = So3.Exp(w).Transpose();
            // Exp(w + d) = Exp(Jl(w) d) Exp(w) + O(d^2), so Jl = d/dd Log(Exp(w + d) Exp(w)^T) at 0.
            var numeric = FiniteDifference.Jacobian(d => ToArray(So3.Log(So3.Exp(w + ToVec3(d)) * rT)), [0, 0, 0], 1e-6);
            var jl = So3.LeftJacobian(w);
            Approx.Equal(Approx.ToArray(jl), numeric, 1e-8, $"angle {angle:R}");

            var d = 1e-5 * RandomUnit(rng);
            var exact = So3.Exp(w + d);
            double firstOrder = (exact - So3.Exp(jl * d) * So3.Exp(w)).FrobeniusNorm;
            Assert.True(firstOrder < 1e-9, $"angle {angle:R}: Exp(w + d) - Exp(Jl d) Exp(w) = {firstOrder:G3}");
        }
    }

    [Theory]
    [MemberData(nameof(Angles))]
    public void RightJacobianMatchesFiniteDifferencesOfExp(double angle)
    {
        var rng = new Random(37);
        for (int i = 0; i < 5; i++)
        {
            var w = angle * RandomUnit(rng);
            var rT = So3.Exp(w).Transpose();
            // Exp(w + d) = Exp(w) Exp(Jr(w) d) + O(d^2).
            var numeric = FiniteDifference.Jacobian(d => ToArray(So3.Log(rT * So3.Exp(w + ToVec3(d)))), [0, 0, 0], 1e-6);
            Approx.Equal(Approx.ToArray(So3.RightJacobian(w)), numeric, 1e-8, $"angle {angle:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Angles))]
    public void JacobianInversesInvertTheJacobians(double angle)
    {
        var rng = new Random(41);
        for (int i = 0; i < 10; i++)
        {
            var w = angle * RandomUnit(rng);
            Approx.Equal(Mat3.Identity, So3.LeftJacobianInverse(w) * So3.LeftJacobian(w), 1e-13, $"left, angle {angle:R}");
            Approx.Equal(Mat3.Identity, So3.LeftJacobian(w) * So3.LeftJacobianInverse(w), 1e-13, $"left, angle {angle:R}");
            Approx.Equal(Mat3.Identity, So3.RightJacobianInverse(w) * So3.RightJacobian(w), 1e-13, $"right, angle {angle:R}");
        }
    }

    [Fact]
    public void ExpOfZeroIsExactlyIdentityAndLogOfIdentityIsZero()
    {
        Assert.Equal(Mat3.Identity, So3.Exp(Vec3.Zero));
        Assert.Equal(Vec3.Zero, So3.Log(Mat3.Identity));
        Assert.Equal(Mat3.Identity, So3.LeftJacobian(Vec3.Zero));
        Assert.Equal(Mat3.Identity, So3.LeftJacobianInverse(Vec3.Zero));
    }

    [Fact]
    public void ExpRotatesCounterClockwiseAboutTheAxis()
    {
        var r = So3.Exp(new Vec3(0, 0, Math.PI / 2));
        Approx.Equal(new Vec3(0, 1, 0), r * new Vec3(1, 0, 0), 1e-15);
        Approx.Equal(new Vec3(-1, 0, 0), r * new Vec3(0, 1, 0), 1e-15);
    }

    [Fact]
    public void AngleBetweenIsTheRelativeAngle()
    {
        var rng = new Random(43);
        for (int i = 0; i < 20; i++)
        {
            var n = RandomUnit(rng);
            double a = 3 * rng.NextDouble() - 1.5, b = 3 * rng.NextDouble() - 1.5;
            var offset = So3.Exp(RandomRotationVector(rng, 3));
            Assert.Equal(Math.Abs(a - b), So3.AngleBetween(So3.Exp(a * n) * offset, So3.Exp(b * n) * offset), 1e-12);
        }
    }

    [Fact]
    public void OrthonormalizeRepairsADriftedRotation()
    {
        var rng = new Random(47);
        for (int i = 0; i < 20; i++)
        {
            var r = So3.Exp(RandomRotationVector(rng, Math.PI));
            var drifted = r + 1e-7 * new Mat3(
                rng.NextDouble(), rng.NextDouble(), rng.NextDouble(),
                rng.NextDouble(), rng.NextDouble(), rng.NextDouble(),
                rng.NextDouble(), rng.NextDouble(), rng.NextDouble());
            Assert.True(OrthonormalityError(drifted) > 1e-8);
            var fixedUp = So3.Orthonormalize(drifted);
            Assert.True(OrthonormalityError(fixedUp) < 1e-14);
            Assert.True(So3.AngleBetween(r, fixedUp) < 1e-6);
        }
    }

    private static Vec3 ToVec3(double[] v) => new(v[0], v[1], v[2]);
    private static double[] ToArray(Vec3 v) => [v.X, v.Y, v.Z];
}
