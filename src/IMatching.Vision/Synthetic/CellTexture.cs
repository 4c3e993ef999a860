using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Cellular (Worley) pattern: irregular stones, cobbles or cracked mud. Each cell takes a palette colour by a
/// hash; the gap between the nearest and second-nearest cell centre draws the cracks.
/// </summary>
internal sealed class CellTexture(Vec3[] palette, Vec3 crack, double cellM, double crackM, uint seed) : ITexture
{
    public Vec3 Albedo(double u, double v)
    {
        double x = u / cellM, y = v / cellM;
        int cx = (int)Math.Floor(x), cy = (int)Math.Floor(y);
        double nearest = double.MaxValue, second = double.MaxValue;
        uint nearestHash = 0;
        for (int j = cy - 1; j <= cy + 1; j++)
            for (int i = cx - 1; i <= cx + 1; i++)
            {
                uint h = Hash.Of(i, j, seed);
                double dx = x - (i + 0.1 + 0.8 * Hash.Unit(h)), dy = y - (j + 0.1 + 0.8 * Hash.Unit(Hash.Mix(h)));
                double d = Math.Sqrt(dx * dx + dy * dy);
                if (d < nearest) { second = nearest; nearest = d; nearestHash = h; }
                else if (d < second) second = d;
            }
        uint pick = Hash.Mix(nearestHash ^ 0x5bd1e995u);
        double shade = 0.8 + 0.4 * Hash.Unit(Hash.Mix(pick));
        double grain = 0.15 * GradientNoise.Fractal(u * 25, v * 25, 3, seed + 5);
        var stone = palette[(int)(pick % (uint)palette.Length)] * (shade + grain);
        // (second - nearest) * cellM / 2 is about the distance to the cell border in metres.
        double edge = 0.5 * (second - nearest) * cellM;
        return Colour.Lerp(crack, stone, Colour.Smoothstep(0.5 * crackM, 0.5 * crackM + 0.004, edge));
    }
}
