using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Datasets;

/// <summary>Rigid transforms written as numbers on a dataset line, returned in the frames the file uses.</summary>
internal static class PoseFields
{
    /// <summary>TUM, ETH3D and TartanAir order: <c>tx ty tz qx qy qz qw</c> starting at field <paramref name="first"/>.</summary>
    public static Se3 TranslationQuaternionXyzw(TextRow row, int first)
    {
        var t = Translation(row, first);
        return new Se3(Rotation(row, row.Double(first + 6, "qw"), first + 3), t);
    }

    public static Vec3 Translation(TextRow row, int first) =>
        new(row.Double(first, "tx"), row.Double(first + 1, "ty"), row.Double(first + 2, "tz"));

    /// <summary>A quaternion whose x, y, z sit at <paramref name="firstXyz"/> onwards; files store w before or after them.</summary>
    public static Mat3 Rotation(TextRow row, double w, int firstXyz)
    {
        var q = new UnitQuaternion(w, row.Double(firstXyz, "qx"), row.Double(firstXyz + 1, "qy"), row.Double(firstXyz + 2, "qz"));
        double norm = Math.Sqrt(q.W * q.W + q.X * q.X + q.Y * q.Y + q.Z * q.Z);
        // Files round quaternions to 4-7 digits; anything far from unit length is a column mix-up, not rounding.
        if (Math.Abs(norm - 1) > 0.01) throw row.Error($"quaternion norm is {norm:G4}, expected 1");
        return q.ToRotation();
    }

    /// <summary>KITTI: a 3x4 matrix [R | t] row-major, starting at field <paramref name="first"/>.</summary>
    public static Se3 Matrix3x4(TextRow row, int first)
    {
        var v = new double[12];
        for (int i = 0; i < 12; i++) v[i] = row.Double(first + i, $"matrix entry {i}");
        var rotation = new Mat3(v[0], v[1], v[2], v[4], v[5], v[6], v[8], v[9], v[10]);
        if (Math.Abs(rotation.Determinant - 1) > 0.01) throw row.Error($"rotation has determinant {rotation.Determinant:G4}, expected 1");
        return new Se3(rotation, new Vec3(v[3], v[7], v[11]));
    }
}
