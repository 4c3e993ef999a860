using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Cameras;

/// <summary>
/// The Bundle Adjustment in the Large camera: intrinsics (f, k1, k2); p = -P / P.z,
/// r = 1 + k1 |p|^2 + k2 |p|^4, pixel = f r p. The camera looks down -z.
/// </summary>
public sealed class BalModel : IProjectionModel
{
    public static readonly BalModel Instance = new();
    public const int ParameterCount = 3;
    private static readonly string[] Names = ["f", "k1", "k2"];

    public string Name => "bal";
    public IReadOnlyList<string> ParameterNames => Names;

    public bool IsInFront(Vec3 pointInCamera) => pointInCamera.Z < 0;

    public Vec2 Project(ReadOnlySpan<double> k, Vec3 p, Span<double> dPixelDPoint, Span<double> dPixelDIntrinsics)
    {
        double f = k[0], k1 = k[1], k2 = k[2];
        double iz = -1 / p.Z;
        double x = p.X * iz, y = p.Y * iz;
        double r2 = x * x + y * y;
        double radial = 1 + r2 * (k1 + k2 * r2);
        if (!dPixelDPoint.IsEmpty)
        {
            double dRadial = 2 * (k1 + 2 * k2 * r2);
            double dudx = f * (radial + x * x * dRadial), dudy = f * x * y * dRadial;
            double dvdx = dudy, dvdy = f * (radial + y * y * dRadial);
            // d(x, y)/dP = [[iz, 0, x iz], [0, iz, y iz]] with iz = -1/z
            dPixelDPoint[0] = dudx * iz;
            dPixelDPoint[1] = dudy * iz;
            dPixelDPoint[2] = (dudx * x + dudy * y) * iz;
            dPixelDPoint[3] = dvdx * iz;
            dPixelDPoint[4] = dvdy * iz;
            dPixelDPoint[5] = (dvdx * x + dvdy * y) * iz;
        }
        if (!dPixelDIntrinsics.IsEmpty)
        {
            dPixelDIntrinsics[0] = radial * x;
            dPixelDIntrinsics[1] = f * x * r2;
            dPixelDIntrinsics[2] = f * x * r2 * r2;
            dPixelDIntrinsics[3] = radial * y;
            dPixelDIntrinsics[4] = f * y * r2;
            dPixelDIntrinsics[5] = f * y * r2 * r2;
        }
        return new Vec2(f * radial * x, f * radial * y);
    }
}
