using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;
using static IMatching.Geometry.Tests.Lie.LieTestData;

namespace IMatching.Geometry.Tests.Lie;

public class UnitQuaternionTests
{
    /// <summary>Quaternions (unnormalised) reaching every branch of Shepperd's method; all but the first two have trace &lt;= 0.</summary>
    public static TheoryData<double, double, double, double> Quaternions => new()
    {
        { 1, 0, 0, 0 },
        { 0.9, 0.1, -0.3, 0.2 },
        { 0.5, 0.5, 0.5, 0.5 },       // trace exactly 0, all diagonal entries 0
        { 0, 1, 0, 0 },               // half turns: exactly one diagonal entry is 1
        { 0, 0, 1, 0 },
        { 0, 0, 0, 1 },
        { 0, 0.6, 0.8, 0 },           // half turn about an oblique axis, W = 0
        { 0, -0.48, 0.6, 0.64 },
        { 1e-9, 0.6, 0, -0.8 },
        { 0.1, 0.9, 0.3, -0.2 },      // x dominant
        { -0.2, -0.3, 0.85, 0.1 },    // y dominant, negative W
        { 0.15, 0.2, -0.4, 0.9 },     // z dominant
        { 0.3, 0.7, 0.7, 0.1 },       // tie between the x and y pivots
    };

    [Theory]
    [MemberData(nameof(Quaternions))]
    public void RotationRoundTripsThroughTheQuaternion(double w, double x, double y, double z)
    {
        var q = new UnitQuaternion(w, x, y, z).Normalized();
        var r = q.ToRotation();
        Assert.True(OrthonormalityError(r) < 1e-14);
        Assert.Equal(1 + 2 * Math.Cos(2 * Math.Acos(Math.Abs(q.W))), r.Trace, 1e-14);

        var back = UnitQuaternion.FromRotation(r);
        Assert.True(back.W >= 0);
        Assert.Equal(1, back.W * back.W + back.X * back.X + back.Y * back.Y + back.Z * back.Z, 1e-15);
        // q and -q are the same rotation; FromRotation picks W >= 0 (either sign when W = 0).
        double same = Distance(q, back), opposite = Distance(q, new UnitQuaternion(-back.W, -back.X, -back.Y, -back.Z));
        Assert.True(Math.Min(same, opposite) < 1e-15, $"{q} -> {back}");
        if (q.W != 0) Assert.True((q.W > 0 ? same : opposite) < 1e-15);
        Approx.Equal(r, back.ToRotation(), 1e-15);
    }

    [Fact]
    public void RandomRotationsWithTraceAtMostZeroRoundTrip()
    {
        var rng = new Random(73);
        int nonPositiveTrace = 0;
        for (int i = 0; i < 200; i++)
        {
            // Angles in [2pi/3, pi]: trace = 1 + 2 cos(angle) <= 0.
            double angle = 2 * Math.PI / 3 + rng.NextDouble() * Math.PI / 3;
            var r = So3.Exp(angle * RandomUnit(rng));
            if (r.Trace <= 0) nonPositiveTrace++;
            var q = UnitQuaternion.FromRotation(r);
            Approx.Equal(r, q.ToRotation(), 1e-14);
            Assert.Equal(Math.Cos(angle / 2), q.W, 1e-14);
        }
        Assert.Equal(200, nonPositiveTrace);
    }

    [Fact]
    public void HamiltonConventionMatchesSo3Exp()
    {
        var rng = new Random(79);
        for (int i = 0; i < 50; i++)
        {
            var n = RandomUnit(rng);
            double angle = Math.PI * rng.NextDouble();
            double s = Math.Sin(angle / 2);
            var q = new UnitQuaternion(Math.Cos(angle / 2), s * n.X, s * n.Y, s * n.Z);
            Approx.Equal(So3.Exp(angle * n), q.ToRotation(), 1e-15);
        }
        // Composition: q1 * q2 (Hamilton) is R1 R2. Check one product by hand: z quarter turn then x quarter turn.
        double h = Math.Sqrt(0.5);
        var qz = new UnitQuaternion(h, 0, 0, h);
        var qx = new UnitQuaternion(h, h, 0, 0);
        var product = new UnitQuaternion(0.5, 0.5, 0.5, 0.5); // qz * qx
        Approx.Equal(qz.ToRotation() * qx.ToRotation(), product.ToRotation(), 1e-15);
    }

    [Fact]
    public void ToRotationNormalisesAndNormalizedRejectsDegenerateQuaternions()
    {
        var q = new UnitQuaternion(0.3, -0.1, 0.7, 0.2);
        var scaled = new UnitQuaternion(3 * q.W, 3 * q.X, 3 * q.Y, 3 * q.Z);
        Approx.Equal(q.ToRotation(), scaled.ToRotation(), 1e-15);
        Assert.True(OrthonormalityError(scaled.ToRotation()) < 1e-14);
        Assert.Throws<ArgumentException>(() => new UnitQuaternion(0, 0, 0, 0).Normalized());
        Assert.Throws<ArgumentException>(() => new UnitQuaternion(double.NaN, 0, 0, 0).Normalized());
        Assert.Throws<ArgumentException>(() => new UnitQuaternion(double.PositiveInfinity, 0, 0, 0).ToRotation());
        Assert.Equal(Mat3.Identity, UnitQuaternion.Identity.ToRotation());
    }

    private static double Distance(UnitQuaternion a, UnitQuaternion b) =>
        Math.Sqrt((a.W - b.W) * (a.W - b.W) + (a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y) + (a.Z - b.Z) * (a.Z - b.Z));
}
