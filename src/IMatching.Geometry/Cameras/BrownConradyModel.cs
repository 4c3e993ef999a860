using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Cameras;

/// <summary>
/// Pinhole camera with Brown–Conrady distortion in OpenCV's convention and parameter order:
/// (fx, fy, cx, cy, k1, k2, p1, p2, k3). The camera looks down +z; the centre of the top-left
/// pixel is (0, 0).
/// </summary>
public sealed class BrownConradyModel : IProjectionModel
{
    public static readonly BrownConradyModel Instance = new();
    public const int ParameterCount = 9;
    private static readonly string[] Names = ["fx", "fy", "cx", "cy", "k1", "k2", "p1", "p2", "k3"];

    public string Name => "pinhole-brown-conrady";
    public IReadOnlyList<string> ParameterNames => Names;

    public bool IsInFront(Vec3 pointInCamera) => pointInCamera.Z > 0;

    public Vec2 Project(ReadOnlySpan<double> k, Vec3 p, Span<double> dPixelDPoint, Span<double> dPixelDIntrinsics)
    {
        double fx = k[0], fy = k[1], cx = k[2], cy = k[3], k1 = k[4], k2 = k[5], p1 = k[6], p2 = k[7], k3 = k[8];
        double iz = 1 / p.Z;
        double x = p.X * iz, y = p.Y * iz;
        double xx = x * x, yy = y * y, xy = x * y, r2 = xx + yy;
        double radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
        double xd = x * radial + 2 * p1 * xy + p2 * (r2 + 2 * xx);
        double yd = y * radial + p1 * (r2 + 2 * yy) + 2 * p2 * xy;

        if (!dPixelDPoint.IsEmpty)
        {
            double dRadial = k1 + r2 * (2 * k2 + 3 * k3 * r2);
            double dxdx = radial + 2 * xx * dRadial + 2 * p1 * y + 6 * p2 * x;
            double dxdy = 2 * xy * dRadial + 2 * p1 * x + 2 * p2 * y;
            double dydy = radial + 2 * yy * dRadial + 6 * p1 * y + 2 * p2 * x;
            double dydx = dxdy;
            // d(x, y)/dP = [[iz, 0, -x iz], [0, iz, -y iz]]
            double a = fx * iz, b = fy * iz;
            dPixelDPoint[0] = a * dxdx;
            dPixelDPoint[1] = a * dxdy;
            dPixelDPoint[2] = -a * (dxdx * x + dxdy * y);
            dPixelDPoint[3] = b * dydx;
            dPixelDPoint[4] = b * dydy;
            dPixelDPoint[5] = -b * (dydx * x + dydy * y);
        }
        if (!dPixelDIntrinsics.IsEmpty)
        {
            double r4 = r2 * r2;
            var j = dPixelDIntrinsics;
            j[0] = xd; j[1] = 0; j[2] = 1; j[3] = 0;
            j[4] = fx * x * r2; j[5] = fx * x * r4; j[6] = fx * 2 * xy; j[7] = fx * (r2 + 2 * xx); j[8] = fx * x * r4 * r2;
            j[9] = 0; j[10] = yd; j[11] = 0; j[12] = 1;
            j[13] = fy * y * r2; j[14] = fy * y * r4; j[15] = fy * (r2 + 2 * yy); j[16] = fy * 2 * xy; j[17] = fy * y * r4 * r2;
        }
        return new Vec2(fx * xd + cx, fy * yd + cy);
    }
}
