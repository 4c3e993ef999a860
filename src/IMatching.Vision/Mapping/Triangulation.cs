using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Mapping;

/// <summary>Linear multi-view triangulation from normalised rays, and the parallax angle between views.</summary>
internal static class Triangulation
{
    /// <summary>
    /// Least-squares point from (normalised point, cameraFromWorld) pairs, each giving the rows
    /// (r1 - x r3) X = x t3 - t1 and (r2 - y r3) X = y t3 - t2. Null when the rays are (near) parallel.
    /// </summary>
    public static Vec3? Linear(ReadOnlySpan<(Vec2 Normalized, Se3 CameraFromWorld)> views)
    {
        double a00 = 0, a01 = 0, a02 = 0, a11 = 0, a12 = 0, a22 = 0, b0 = 0, b1 = 0, b2 = 0;
        foreach (var (n, t) in views)
        {
            var r = t.Rotation;
            var r3 = r.Row(2);
            Accumulate(r.Row(0) - n.X * r3, n.X * t.Translation.Z - t.Translation.X);
            Accumulate(r.Row(1) - n.Y * r3, n.Y * t.Translation.Z - t.Translation.Y);
        }
        var ata = new Mat3(a00, a01, a02, a01, a11, a12, a02, a12, a22);
        double det = ata.Determinant;
        double scale = ata.Trace;
        if (!(Math.Abs(det) > 1e-12 * scale * scale * scale)) return null;
        var x = ata.Inverse() * new Vec3(b0, b1, b2);
        return x.IsFinite ? x : null;

        void Accumulate(Vec3 row, double rhs)
        {
            a00 += row.X * row.X; a01 += row.X * row.Y; a02 += row.X * row.Z;
            a11 += row.Y * row.Y; a12 += row.Y * row.Z; a22 += row.Z * row.Z;
            b0 += row.X * rhs; b1 += row.Y * rhs; b2 += row.Z * rhs;
        }
    }

    /// <summary>Angle in degrees at <paramref name="point"/> between the rays to two camera centres.</summary>
    public static double ParallaxDeg(Vec3 point, Vec3 centreA, Vec3 centreB)
    {
        var a = centreA - point;
        var b = centreB - point;
        double c = a.Dot(b) / (a.Norm * b.Norm);
        return Math.Acos(Math.Clamp(c, -1, 1)) * 180 / Math.PI;
    }
}
