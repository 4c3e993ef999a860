using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Bricks (rows offset by half a brick) or tiles (no offset) with mortar joints; each brick's colour varies by a
/// hash of its index and fine noise roughens its face, so no two corners look alike.
/// </summary>
internal sealed class BrickTexture(
    Vec3 brick, Vec3 mortar, double brickWidthM, double brickHeightM, double mortarM, double rowOffset, double variation, uint seed) : ITexture
{
    public Vec3 Albedo(double u, double v)
    {
        double rowF = v / brickHeightM;
        int row = (int)Math.Floor(rowF);
        double columnF = u / brickWidthM + row * rowOffset;
        int column = (int)Math.Floor(columnF);
        // Distance to the nearest joint in metres, so the joint width is physical whatever the brick size.
        double du = Math.Min(columnF - column, column + 1 - columnF) * brickWidthM;
        double dv = Math.Min(rowF - row, row + 1 - rowF) * brickHeightM;
        double inside = Colour.Smoothstep(0.5 * mortarM, 0.5 * mortarM + 0.004, Math.Min(du, dv));

        uint h = Hash.Of(column, row, seed);
        double shade = 1 + variation * (2 * Hash.Unit(h) - 1);
        double tint = variation * (2 * Hash.Unit(Hash.Mix(h)) - 1);
        double grain = 0.12 * GradientNoise.Fractal(u * 40, v * 40, 3, seed + 7);
        var face = new Vec3(
            Math.Clamp(brick.X * (shade + grain) + 0.3 * tint, 0, 1),
            Math.Clamp(brick.Y * (shade + grain), 0, 1),
            Math.Clamp(brick.Z * (shade + grain) - 0.3 * tint, 0, 1));
        var joint = mortar * (1 + 0.3 * GradientNoise.At(u * 60, v * 60, seed + 13));
        return Colour.Lerp(joint, face, inside);
    }
}
