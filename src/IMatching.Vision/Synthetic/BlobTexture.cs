using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Graffiti and posters: ellipses of palette colours scattered over a background, placed per grid cell by a hash
/// (the cell and its neighbours are searched, so blobs cross cell borders without seams).
/// </summary>
internal sealed class BlobTexture(Vec3 background, Vec3[] palette, double cellM, int blobsPerCell, uint seed) : ITexture
{
    public Vec3 Albedo(double u, double v)
    {
        double x = u / cellM, y = v / cellM;
        int cx = (int)Math.Floor(x), cy = (int)Math.Floor(y);
        var colour = background * (1 + 0.15 * GradientNoise.Fractal(u * 12, v * 12, 3, seed));
        uint best = 0;
        for (int j = cy - 1; j <= cy + 1; j++)
            for (int i = cx - 1; i <= cx + 1; i++)
                for (int b = 0; b < blobsPerCell; b++)
                {
                    uint h = Hash.Of(i, j, b, seed);
                    double px = i + Hash.Unit(h), py = j + Hash.Unit(h = Hash.Mix(h));
                    double radius = 0.12 + 0.5 * Hash.Unit(h = Hash.Mix(h));
                    double aspect = 0.3 + 0.7 * Hash.Unit(h = Hash.Mix(h));
                    double angle = Math.PI * Hash.Unit(h = Hash.Mix(h));
                    double dx = x - px, dy = y - py, c = Math.Cos(angle), s = Math.Sin(angle);
                    double a = (c * dx + s * dy) / radius, e = (-s * dx + c * dy) / (radius * aspect);
                    double r = Math.Sqrt(a * a + e * e);
                    // Later (higher-hash) blobs paint over earlier ones; a soft rim of ~3 mm keeps edges anti-aliased.
                    double cover = 1 - Colour.Smoothstep(1 - 0.003 / (cellM * radius * aspect), 1, r);
                    uint order = Hash.Mix(h);
                    if (cover > 0 && order >= best)
                    {
                        colour = Colour.Lerp(colour, palette[(int)(order % (uint)palette.Length)], cover);
                        best = order;
                    }
                }
        return colour;
    }
}
