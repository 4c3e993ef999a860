using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Fractal gradient noise blended between two colours, its coordinates displaced by a second noise (domain
/// warping), which turns the blobby Perlin look into veins and stains like plaster, stone or sand.
/// </summary>
internal sealed class NoiseTexture(Vec3 dark, Vec3 light, double frequencyPerMetre, double warp, double contrast, uint seed) : ITexture
{
    private const int Octaves = 5;

    public Vec3 Albedo(double u, double v)
    {
        double x = u * frequencyPerMetre, y = v * frequencyPerMetre;
        if (warp > 0)
        {
            double wx = GradientNoise.Fractal(x * 0.5, y * 0.5, 2, seed + 101);
            double wy = GradientNoise.Fractal(x * 0.5 + 5.2, y * 0.5 + 1.3, 2, seed + 202);
            x += warp * wx;
            y += warp * wy;
        }
        double n = GradientNoise.Fractal(x, y, Octaves, seed);
        return Colour.Lerp(dark, light, Math.Clamp(0.5 + contrast * n, 0, 1));
    }
}
