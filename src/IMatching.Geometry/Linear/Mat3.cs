using System.Runtime.CompilerServices;

namespace IMatching.Geometry.Linear;

/// <summary>A row-major 3x3 matrix of doubles.</summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    public static readonly Mat3 Identity = new(1, 0, 0, 0, 1, 0, 0, 0, 1);
    public static readonly Mat3 Zero = default;

    public double this[int r, int c] => (r * 3 + c) switch
    {
        0 => M00, 1 => M01, 2 => M02,
        3 => M10, 4 => M11, 5 => M12,
        6 => M20, 7 => M21, 8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public static Mat3 FromRows(Vec3 r0, Vec3 r1, Vec3 r2) => new(r0.X, r0.Y, r0.Z, r1.X, r1.Y, r1.Z, r2.X, r2.Y, r2.Z);
    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) => new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);
    public static Mat3 Diagonal(double a, double b, double c) => new(a, 0, 0, 0, b, 0, 0, 0, c);

    /// <summary>The cross-product matrix: Hat(a) * b == a x b.</summary>
    public static Mat3 Hat(Vec3 a) => new(0, -a.Z, a.Y, a.Z, 0, -a.X, -a.Y, a.X, 0);

    public static Mat3 Outer(Vec3 a, Vec3 b) => new(
        a.X * b.X, a.X * b.Y, a.X * b.Z,
        a.Y * b.X, a.Y * b.Y, a.Y * b.Z,
        a.Z * b.X, a.Z * b.Y, a.Z * b.Z);

    public Vec3 Row(int r) => r switch { 0 => new(M00, M01, M02), 1 => new(M10, M11, M12), 2 => new(M20, M21, M22), _ => throw new ArgumentOutOfRangeException(nameof(r)) };
    public Vec3 Column(int c) => c switch { 0 => new(M00, M10, M20), 1 => new(M01, M11, M21), 2 => new(M02, M12, M22), _ => throw new ArgumentOutOfRangeException(nameof(c)) };

    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);
    public double Trace => M00 + M11 + M22;
    public double Determinant => M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public Mat3 Inverse()
    {
        double det = Determinant;
        if (det == 0 || !double.IsFinite(det)) throw new InvalidOperationException("Matrix is singular.");
        double s = 1 / det;
        return new(
            (M11 * M22 - M12 * M21) * s, (M02 * M21 - M01 * M22) * s, (M01 * M12 - M02 * M11) * s,
            (M12 * M20 - M10 * M22) * s, (M00 * M22 - M02 * M20) * s, (M02 * M10 - M00 * M12) * s,
            (M10 * M21 - M11 * M20) * s, (M01 * M20 - M00 * M21) * s, (M00 * M11 - M01 * M10) * s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator *(Mat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    /// <summary>Transpose(m) * v without forming the transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vec3 TransposeTimes(Vec3 v) => new(
        M00 * v.X + M10 * v.Y + M20 * v.Z,
        M01 * v.X + M11 * v.Y + M21 * v.Z,
        M02 * v.X + M12 * v.Y + M22 * v.Z);

    public static Mat3 operator *(Mat3 a, Mat3 b) => new(
        a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20, a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21, a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
        a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20, a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21, a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
        a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20, a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21, a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);

    public static Mat3 operator +(Mat3 a, Mat3 b) => new(
        a.M00 + b.M00, a.M01 + b.M01, a.M02 + b.M02, a.M10 + b.M10, a.M11 + b.M11, a.M12 + b.M12, a.M20 + b.M20, a.M21 + b.M21, a.M22 + b.M22);
    public static Mat3 operator -(Mat3 a, Mat3 b) => new(
        a.M00 - b.M00, a.M01 - b.M01, a.M02 - b.M02, a.M10 - b.M10, a.M11 - b.M11, a.M12 - b.M12, a.M20 - b.M20, a.M21 - b.M21, a.M22 - b.M22);
    public static Mat3 operator *(double s, Mat3 a) => new(
        s * a.M00, s * a.M01, s * a.M02, s * a.M10, s * a.M11, s * a.M12, s * a.M20, s * a.M21, s * a.M22);

    public double FrobeniusNorm => Math.Sqrt(M00 * M00 + M01 * M01 + M02 * M02 + M10 * M10 + M11 * M11 + M12 * M12 + M20 * M20 + M21 * M21 + M22 * M22);
    public bool IsFinite => double.IsFinite(FrobeniusNorm);
}
