using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.Lie;

/// <summary>Rotation angles and random directions shared by the Lie group tests.</summary>
internal static class LieTestData
{
    /// <summary>Angles around every branch switch: zero, the small-angle series (below 1e-5), and near pi.</summary>
    public static readonly double[] Angles =
    [
        0, 1e-12, 1e-9, 1e-6, 9.9e-6, 1.01e-5, 3e-5, 1e-4, 1e-2, 0.5, 1, 2, 2.5, 3,
        Math.PI - 1e-3, Math.PI - 1e-5, Math.PI - 1e-9, Math.PI,
    ];

    public static TheoryData<double> AngleData() => new(Angles);

    public static Vec3 RandomUnit(Random rng)
    {
        while (true)
        {
            var v = new Vec3(2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);
            double n = v.Norm;
            if (n > 0.1 && n <= 1) return v / n;
        }
    }

    public static Vec3 RandomRotationVector(Random rng, double maxAngle) => rng.NextDouble() * maxAngle * RandomUnit(rng);

    /// <summary>Max-norm distance of R^T R from I, plus |det R - 1|.</summary>
    public static double OrthonormalityError(Mat3 r)
    {
        var e = r.Transpose() * r - Mat3.Identity;
        return Approx.ToArray(e).Max(Math.Abs) + Math.Abs(r.Determinant - 1);
    }
}
