using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Wood grain or rock strata: noise-distorted bands across v, cut into planks (or beds) along v whose grain is
/// offset and tinted by a hash, with a dark seam between them.
/// </summary>
internal sealed class StripeTexture(
    Vec3 light, Vec3 dark, double bandsPerMetre, double plankWidthM, double distortion, uint seed) : ITexture
{
    public Vec3 Albedo(double u, double v)
    {
        double plankF = v / plankWidthM;
        int plank = (int)Math.Floor(plankF);
        uint h = Hash.Of(plank, 0, seed);
        double offset = 100 * Hash.Unit(h);
        double s = (v + offset) * bandsPerMetre + distortion * GradientNoise.Fractal(u * 1.5, (v + offset) * 6, 4, seed);
        double band = s - Math.Floor(s);
        double ring = Math.Pow(Math.Sin(Math.PI * band), 4);
        double tint = 0.85 + 0.3 * Hash.Unit(Hash.Mix(h));
        var grain = Colour.Lerp(light, dark, ring) * tint;
        double fibre = 0.06 * GradientNoise.At(u * 8, v * 200, seed + 3);
        grain = new Vec3(Math.Clamp(grain.X + fibre, 0, 1), Math.Clamp(grain.Y + fibre, 0, 1), Math.Clamp(grain.Z + fibre, 0, 1));
        double seamM = Math.Min(plankF - plank, plank + 1 - plankF) * plankWidthM;
        return Colour.Lerp(0.45 * dark, grain, Colour.Smoothstep(0.002, 0.006, seamM));
    }
}
