using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.Cameras;

public class BrownConradyModelTests
{
    private static readonly double[] Intrinsics = [612.5, 608.25, 319.75, 241.5, -0.28, 0.07, 1e-3, -5e-4, 0.01];

    public static TheoryData<double, double, double> Points => new()
    {
        { 0, 0, 1 },
        { 0.42, -0.31, 1.7 },
        { -1.1, 0.6, 2.3 },
        { 2.0, 1.5, 4.0 },
        { -0.05, -0.9, 0.8 },
        { 3.0, -2.2, 9.5 },
    };

    [Fact]
    public void ProjectionMatchesOpenCvFormula()
    {
        // x = X/Z, y = Y/Z, r2 = x^2 + y^2, radial = 1 + k1 r2 + k2 r2^2 + k3 r2^3,
        // u = fx (x radial + 2 p1 x y + p2 (r2 + 2 x^2)) + cx, v = fy (y radial + p1 (r2 + 2 y^2) + 2 p2 x y) + cy,
        // evaluated in exact rational arithmetic for (0.42, -0.31, 1.7).
        var pixel = BrownConradyModel.Instance.Project(Intrinsics, new Vec3(0.42, -0.31, 1.7), default, default);
        Assert.Equal(467.052372791517, pixel.X, 1e-10);
        Assert.Equal(133.56741238609013, pixel.Y, 1e-10);
    }

    [Fact]
    public void PrincipalPointIsTheImageOfTheOpticalAxis()
    {
        var pixel = BrownConradyModel.Instance.Project(Intrinsics, new Vec3(0, 0, 3), default, default);
        Assert.Equal(new Vec2(319.75, 241.5), pixel);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void PointJacobianMatchesFiniteDifferences(double x, double y, double z)
    {
        var analytic = new double[6];
        var pixel = BrownConradyModel.Instance.Project(Intrinsics, new Vec3(x, y, z), analytic, default);
        var numeric = FiniteDifference.Jacobian(p => ToArray(Project(Intrinsics, new Vec3(p[0], p[1], p[2]))), [x, y, z], 1e-6);
        Approx.Equal(numeric, analytic, 1e-7);
        Assert.Equal(Project(Intrinsics, new Vec3(x, y, z)), pixel);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void IntrinsicsJacobianMatchesFiniteDifferences(double x, double y, double z)
    {
        var point = new Vec3(x, y, z);
        var analytic = new double[18];
        var pixel = BrownConradyModel.Instance.Project(Intrinsics, point, default, analytic);
        var numeric = FiniteDifference.Jacobian(k => ToArray(Project(k, point)), Intrinsics, 1e-6);
        Approx.Equal(numeric, analytic, 1e-7);
        Assert.Equal(Project(Intrinsics, point), pixel);
    }

    [Fact]
    public void JacobiansAreWrittenTogetherAndOverwriteTheBuffers()
    {
        var point = new Vec3(-1.1, 0.6, 2.3);
        var dPoint = Enumerable.Repeat(double.NaN, 6).ToArray();
        var dIntrinsics = Enumerable.Repeat(double.NaN, 18).ToArray();
        BrownConradyModel.Instance.Project(Intrinsics, point, dPoint, dIntrinsics);
        var dPointAlone = new double[6];
        var dIntrinsicsAlone = new double[18];
        BrownConradyModel.Instance.Project(Intrinsics, point, dPointAlone, default);
        BrownConradyModel.Instance.Project(Intrinsics, point, default, dIntrinsicsAlone);
        Assert.Equal(dPointAlone, dPoint);
        Assert.Equal(dIntrinsicsAlone, dIntrinsics);
    }

    [Fact]
    public void DescribesItsParameters()
    {
        var model = BrownConradyModel.Instance;
        Assert.Equal(["fx", "fy", "cx", "cy", "k1", "k2", "p1", "p2", "k3"], model.ParameterNames);
        Assert.Equal(BrownConradyModel.ParameterCount, model.ParameterNames.Count);
        Assert.True(model.IsInFront(new Vec3(0, 0, 1e-9)));
        Assert.False(model.IsInFront(new Vec3(0, 0, -1)));
        Assert.False(model.IsInFront(new Vec3(1, 1, 0)));
    }

    private static Vec2 Project(ReadOnlySpan<double> k, Vec3 p) => BrownConradyModel.Instance.Project(k, p, default, default);
    private static double[] ToArray(Vec2 v) => [v.X, v.Y];
}
