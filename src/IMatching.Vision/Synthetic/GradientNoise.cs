using System.Runtime.CompilerServices;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Perlin's improved gradient noise in 2-D (quintic fade, hashed lattice gradients) and its fractal sums. Values
/// lie roughly in [-1, 1]; coordinates are in lattice cells, so callers scale metres by a frequency first.
/// </summary>
internal static class GradientNoise
{
    public static double At(double x, double y, uint seed)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        double n00 = Corner(x0, y0, fx, fy, seed), n10 = Corner(x0 + 1, y0, fx - 1, fy, seed);
        double n01 = Corner(x0, y0 + 1, fx, fy - 1, seed), n11 = Corner(x0 + 1, y0 + 1, fx - 1, fy - 1, seed);
        double u = Fade(fx), v = Fade(fy);
        double bottom = n00 + u * (n10 - n00), top = n01 + u * (n11 - n01);
        // sqrt(2) brings the theoretical range of 2-D Perlin noise (+-sqrt(1/2)) to about +-1.
        return 1.41421356 * (bottom + v * (top - bottom));
    }

    /// <summary>Octaves at doubling frequency and halving amplitude, normalised by the amplitude sum.</summary>
    public static double Fractal(double x, double y, int octaves, uint seed)
    {
        double sum = 0, amplitude = 1, norm = 0;
        for (int i = 0; i < octaves; i++)
        {
            // Each octave gets its own seed and an offset, so lattice points of different octaves never coincide.
            sum += amplitude * At(x + 17.31 * i, y - 9.73 * i, seed + (uint)i * 7919u);
            norm += amplitude;
            amplitude *= 0.5;
            x *= 2.03;
            y *= 2.03;
        }
        return sum / norm;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Corner(int ix, int iy, double dx, double dy, uint seed)
    {
        // Eight gradient directions, as in Perlin's improved noise.
        return (Hash.Of(ix, iy, seed) & 7) switch
        {
            0 => dx + dy,
            1 => dx - dy,
            2 => -dx + dy,
            3 => -dx - dy,
            4 => 1.41421356 * dx,
            5 => -1.41421356 * dx,
            6 => 1.41421356 * dy,
            _ => -1.41421356 * dy,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);
}
