namespace IMatching.Geometry.Linear;

/// <summary>A 2-vector of doubles: pixel or normalised image coordinates.</summary>
public readonly record struct Vec2(double X, double Y)
{
    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);
    public static Vec2 operator -(Vec2 a, Vec2 b) => new(a.X - b.X, a.Y - b.Y);
    public static Vec2 operator *(double s, Vec2 a) => new(s * a.X, s * a.Y);
    public double Norm => Math.Sqrt(X * X + Y * Y);
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y);
    public override string ToString() => FormattableString.Invariant($"({X:G6}, {Y:G6})");
}
