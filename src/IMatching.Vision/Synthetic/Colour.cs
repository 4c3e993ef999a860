using System.Runtime.CompilerServices;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>Colours are <see cref="Vec3"/> (red, green, blue) in [0, 1]; the few operations vectors lack.</summary>
internal static class Colour
{
    public static Vec3 Rgb(double r, double g, double b) => new(r, g, b);

    /// <summary>A colour from 0-255 components, as palettes are easiest written.</summary>
    public static Vec3 Bytes(int r, int g, int b) => new(r / 255.0, g / 255.0, b / 255.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 Times(Vec3 a, Vec3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 Lerp(Vec3 a, Vec3 b, double t) => a + t * (b - a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Smoothstep(double edge0, double edge1, double x)
    {
        double t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>A random colour near <paramref name="c"/>: brightness and each channel vary by up to <paramref name="amount"/>.</summary>
    public static Vec3 Jitter(Vec3 c, double amount, Random random)
    {
        double brightness = 1 + amount * (2 * random.NextDouble() - 1);
        return new Vec3(
            Math.Clamp(c.X * brightness + 0.5 * amount * (2 * random.NextDouble() - 1), 0, 1),
            Math.Clamp(c.Y * brightness + 0.5 * amount * (2 * random.NextDouble() - 1), 0, 1),
            Math.Clamp(c.Z * brightness + 0.5 * amount * (2 * random.NextDouble() - 1), 0, 1));
    }
}
