using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.Cameras;

public class BalModelTests
{
    private static readonly double[] Intrinsics = [520.5, -0.12, 0.015];

    public static TheoryData<double, double, double> Points => new()
    {
        { 0, 0, -1 },
        { 0.8, -0.45, -3.2 },
        { -1.3, 0.7, -2.1 },
        { 2.5, 1.9, -4.4 },
        { -0.02, -1.6, -1.5 },
    };

    [Fact]
    public void ProjectionMatchesTheBalFormula()
    {
        // p = -P / P.z, r = 1 + k1 |p|^2 + k2 |p|^4, pixel = f r p, in exact rational arithmetic for (0.8, -0.45, -3.2).
        var pixel = BalModel.Instance.Project(Intrinsics, new Vec3(0.8, -0.45, -3.2), default, default);
        Assert.Equal(128.85348248552532, pixel.X, 1e-11);
        Assert.Equal(-72.48008389810799, pixel.Y, 1e-11);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void PointJacobianMatchesFiniteDifferences(double x, double y, double z)
    {
        var analytic = new double[6];
        var pixel = BalModel.Instance.Project(Intrinsics, new Vec3(x, y, z), analytic, default);
        var numeric = FiniteDifference.Jacobian(p => ToArray(Project(Intrinsics, new Vec3(p[0], p[1], p[2]))), [x, y, z], 1e-6);
        Approx.Equal(numeric, analytic, 1e-7);
        Assert.Equal(Project(Intrinsics, new Vec3(x, y, z)), pixel);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void IntrinsicsJacobianMatchesFiniteDifferences(double x, double y, double z)
    {
        var point = new Vec3(x, y, z);
        var analytic = new double[6];
        BalModel.Instance.Project(Intrinsics, point, default, analytic);
        var numeric = FiniteDifference.Jacobian(k => ToArray(Project(k, point)), Intrinsics, 1e-6);
        Approx.Equal(numeric, analytic, 1e-7);
    }

    [Fact]
    public void LooksDownNegativeZ()
    {
        var model = BalModel.Instance;
        Assert.Equal(["f", "k1", "k2"], model.ParameterNames);
        Assert.Equal(BalModel.ParameterCount, model.ParameterNames.Count);
        Assert.True(model.IsInFront(new Vec3(0.3, 0.2, -1)));
        Assert.False(model.IsInFront(new Vec3(0.3, 0.2, 1)));
        // A point right of and above the axis in camera coordinates maps to positive pixel coordinates.
        var pixel = Project([100, 0, 0], new Vec3(1, 2, -4));
        Assert.Equal(new Vec2(25, 50), pixel);
    }

    private static Vec2 Project(ReadOnlySpan<double> k, Vec3 p) => BalModel.Instance.Project(k, p, default, default);
    private static double[] ToArray(Vec2 v) => [v.X, v.Y];
}
