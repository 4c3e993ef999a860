using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Draws one texture of a family with random parameters and colours from a palette. Scales are chosen so that at
/// 1-6 m and ~500 px focal length every family has detail from a few pixels to a few tens of pixels.
/// </summary>
internal static class TextureFactory
{
    public static ITexture Create(TextureFamily family, IReadOnlyList<Vec3> palette, Random random)
    {
        uint seed = (uint)random.Next();
        Vec3 Pick() => Colour.Jitter(palette[random.Next(palette.Count)], 0.15, random);
        double Between(double low, double high) => low + (high - low) * random.NextDouble();
        switch (family)
        {
            case TextureFamily.Noise:
                {
                    var a = Pick();
                    var b = Colour.Lerp(Pick(), a, 0.3);
                    return new NoiseTexture(0.55 * a, Colour.Lerp(b, new Vec3(1, 1, 1), 0.25), Between(2, 8), Between(0, 2.5), Between(0.9, 1.6), seed);
                }
            case TextureFamily.Bricks:
                {
                    bool tiles = random.NextDouble() < 0.35;
                    double width = tiles ? Between(0.12, 0.3) : Between(0.18, 0.3);
                    double height = tiles ? width * Between(0.8, 1.25) : width * Between(0.3, 0.45);
                    return new BrickTexture(Pick(), Colour.Lerp(Pick(), new Vec3(0.8, 0.8, 0.8), 0.6), width, height,
                        Between(0.008, 0.018), tiles ? 0 : 0.5, Between(0.1, 0.25), seed);
                }
            case TextureFamily.Stripes:
                {
                    var light = Pick();
                    return new StripeTexture(light, Colour.Lerp(0.5 * light, Pick(), 0.3), Between(8, 25), Between(0.1, 0.3), Between(1, 3), seed);
                }
            case TextureFamily.Blobs:
                {
                    var colours = Enumerable.Range(0, 5).Select(_ => Pick()).ToArray();
                    return new BlobTexture(Pick(), colours, Between(0.15, 0.4), random.Next(1, 4), seed);
                }
            default:
                {
                    var colours = Enumerable.Range(0, 3).Select(_ => Pick()).ToArray();
                    return new CellTexture(colours, 0.3 * Pick(), Between(0.06, 0.25), Between(0.006, 0.015), seed);
                }
        }
    }
}
