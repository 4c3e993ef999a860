using IMatching.Geometry.Linear;

namespace IMatching.Geometry.Lie;

/// <summary>Hamilton unit quaternion (w + xi + yj + zk), the rotation format of TUM/EuRoC files.</summary>
public readonly record struct UnitQuaternion(double W, double X, double Y, double Z)
{
    public static readonly UnitQuaternion Identity = new(1, 0, 0, 0);

    public UnitQuaternion Normalized()
    {
        double n = Math.Sqrt(W * W + X * X + Y * Y + Z * Z);
        if (!(n > 0) || !double.IsFinite(n)) throw new ArgumentException("Quaternion has zero or non-finite norm.");
        return new(W / n, X / n, Y / n, Z / n);
    }

    public Mat3 ToRotation()
    {
        var q = Normalized();
        double w = q.W, x = q.X, y = q.Y, z = q.Z;
        return new(
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y));
    }

    /// <summary>Shepperd's method: picks the largest pivot, so it is accurate for every rotation, including near pi.</summary>
    public static UnitQuaternion FromRotation(Mat3 r)
    {
        double trace = r.Trace;
        UnitQuaternion q;
        if (trace >= r.M00 && trace >= r.M11 && trace >= r.M22)
        {
            double s = 2 * Math.Sqrt(1 + trace);
            q = new(0.25 * s, (r.M21 - r.M12) / s, (r.M02 - r.M20) / s, (r.M10 - r.M01) / s);
        }
        else if (r.M00 >= r.M11 && r.M00 >= r.M22)
        {
            double s = 2 * Math.Sqrt(1 + r.M00 - r.M11 - r.M22);
            q = new((r.M21 - r.M12) / s, 0.25 * s, (r.M01 + r.M10) / s, (r.M02 + r.M20) / s);
        }
        else if (r.M11 >= r.M22)
        {
            double s = 2 * Math.Sqrt(1 + r.M11 - r.M00 - r.M22);
            q = new((r.M02 - r.M20) / s, (r.M01 + r.M10) / s, 0.25 * s, (r.M12 + r.M21) / s);
        }
        else
        {
            double s = 2 * Math.Sqrt(1 + r.M22 - r.M00 - r.M11);
            q = new((r.M10 - r.M01) / s, (r.M02 + r.M20) / s, (r.M12 + r.M21) / s, 0.25 * s);
        }
        q = q.Normalized();
        return q.W < 0 ? new(-q.W, -q.X, -q.Y, -q.Z) : q;
    }
}
