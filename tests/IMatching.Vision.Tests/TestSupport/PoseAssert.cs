using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Tests.TestSupport;

public static class PoseAssert
{
    public static void Equal(Se3 expected, Se3? actual, double tolerance = 1e-9)
    {
        Assert.NotNull(actual);
        double rotationError = (expected.Rotation - actual.Value.Rotation).FrobeniusNorm;
        double translationError = (expected.Translation - actual.Value.Translation).Norm;
        Assert.True(rotationError <= tolerance && translationError <= tolerance,
            $"expected R {expected.Rotation} t {expected.Translation}, actual R {actual.Value.Rotation} t {actual.Value.Translation}");
    }

    public static void Close(Vec3 expected, Vec3 actual, double tolerance = 1e-12) =>
        Assert.True((expected - actual).Norm <= tolerance, $"expected {expected}, actual {actual}");

    public static Mat3 RotationZ(double angle) =>
        new(Math.Cos(angle), -Math.Sin(angle), 0, Math.Sin(angle), Math.Cos(angle), 0, 0, 0, 1);
}
