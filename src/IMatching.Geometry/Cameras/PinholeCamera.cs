using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Cameras;

/// <summary>
/// Intrinsics of one physical camera (pinhole + Brown–Conrady distortion, OpenCV order), with
/// image size. Pixel centres at integer coordinates.
/// </summary>
public sealed record PinholeCamera(
    int Width, int Height,
    double Fx, double Fy, double Cx, double Cy,
    double K1 = 0, double K2 = 0, double P1 = 0, double P2 = 0, double K3 = 0)
{
    public bool HasDistortion => K1 != 0 || K2 != 0 || P1 != 0 || P2 != 0 || K3 != 0;

    /// <summary>Parameters in <see cref="BrownConradyModel"/> order.</summary>
    public double[] ToParameters() => [Fx, Fy, Cx, Cy, K1, K2, P1, P2, K3];

    public static PinholeCamera FromParameters(int width, int height, ReadOnlySpan<double> p) =>
        new(width, height, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);

    public PinholeCamera WithoutDistortion() => this with { K1 = 0, K2 = 0, P1 = 0, P2 = 0, K3 = 0 };

    /// <summary>The same camera for an image scaled by <paramref name="scale"/> (pixel centres stay at integers).</summary>
    public PinholeCamera Scaled(double scale) => this with
    {
        Width = (int)Math.Round(Width * scale),
        Height = (int)Math.Round(Height * scale),
        Fx = Fx * scale,
        Fy = Fy * scale,
        Cx = (Cx + 0.5) * scale - 0.5,
        Cy = (Cy + 0.5) * scale - 0.5,
    };

    public double MeanFocal => 0.5 * (Fx + Fy);

    public Vec2 Project(Vec3 pointInCamera)
    {
        // The parameters on the stack rather than ToParameters' array: the mapper projects every feature this way.
        Span<double> k = stackalloc double[BrownConradyModel.ParameterCount];
        k[0] = Fx; k[1] = Fy; k[2] = Cx; k[3] = Cy; k[4] = K1; k[5] = K2; k[6] = P1; k[7] = P2; k[8] = K3;
        return BrownConradyModel.Instance.Project(k, pointInCamera, default, default);
    }

    /// <summary>Distorts normalised coordinates (z = 1) into a pixel.</summary>
    public Vec2 Distort(Vec2 normalized) => Project(new Vec3(normalized.X, normalized.Y, 1));

    /// <summary>
    /// Pixel to normalised undistorted coordinates: Gauss–Newton on the distortion map, which
    /// converges where OpenCV's fixed-point iteration stalls under strong distortion.
    /// </summary>
    public Vec2 Undistort(Vec2 pixel, int maxIterations = 20, double tolerancePx = 1e-10)
    {
        var target = new Vec2((pixel.X - Cx) / Fx, (pixel.Y - Cy) / Fy);
        if (!HasDistortion) return target;
        Span<double> k = stackalloc double[BrownConradyModel.ParameterCount];
        k[0] = 1; k[1] = 1; k[2] = 0; k[3] = 0; k[4] = K1; k[5] = K2; k[6] = P1; k[7] = P2; k[8] = K3;
        Span<double> j = stackalloc double[6];
        var x = target;
        double tolerance = tolerancePx / Math.Max(Fx, Fy);
        for (int i = 0; i < maxIterations; i++)
        {
            var d = BrownConradyModel.Instance.Project(k, new Vec3(x.X, x.Y, 1), j, default);
            double ex = d.X - target.X, ey = d.Y - target.Y;
            if (Math.Sqrt(ex * ex + ey * ey) < tolerance) break;
            // With z = 1 the point Jacobian's first two columns are d(distorted)/d(x, y).
            double a = j[0], b = j[1], c = j[3], e = j[4];
            double det = a * e - b * c;
            if (Math.Abs(det) < 1e-12) break;
            x = new Vec2(x.X - (e * ex - b * ey) / det, x.Y - (-c * ex + a * ey) / det);
        }
        return x;
    }

    /// <summary>Undistorted pixel (same K, no distortion).</summary>
    public Vec2 UndistortPixel(Vec2 pixel)
    {
        var n = Undistort(pixel);
        return new Vec2(Fx * n.X + Cx, Fy * n.Y + Cy);
    }

    public Vec3 Unproject(Vec2 pixel, double depth)
    {
        var n = Undistort(pixel);
        return new Vec3(n.X * depth, n.Y * depth, depth);
    }
}
