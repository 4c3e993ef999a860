using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Tests.TestSupport;

/// <summary>Element-wise closeness assertions that report the worst entry.</summary>
public static class Approx
{
    /// <summary>Asserts |expected[i] - actual[i]| &lt;= tolerance * max(1, |expected[i]|) for every i.</summary>
    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double allowed = tolerance * Math.Max(1, Math.Abs(expected[i]));
            double excess = Math.Abs(expected[i] - actual[i]) / allowed;
            if (!(excess <= 1) && (worst < 0 || !(excess <= worstExcess))) (worst, worstExcess) = (i, excess);
        }
        if (worst >= 0)
            Assert.Fail(FormattableString.Invariant(
                $"{what} entry {worst}: expected {expected[worst]:R}, actual {actual[worst]:R} (tolerance {tolerance:G3}, {worstExcess:G3}x over)"));
    }

    public static void Equal(Mat3 expected, Mat3 actual, double tolerance, string what = "") =>
        Equal(ToArray(expected), ToArray(actual), tolerance, what);

    public static void Equal(Vec3 expected, Vec3 actual, double tolerance, string what = "") =>
        Equal([expected.X, expected.Y, expected.Z], [actual.X, actual.Y, actual.Z], tolerance, what);

    public static void Equal(Vec2 expected, Vec2 actual, double tolerance, string what = "") =>
        Equal([expected.X, expected.Y], [actual.X, actual.Y], tolerance, what);

    public static double[] ToArray(Mat3 m) => [m.M00, m.M01, m.M02, m.M10, m.M11, m.M12, m.M20, m.M21, m.M22];
}
