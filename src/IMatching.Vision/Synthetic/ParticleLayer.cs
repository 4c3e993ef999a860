using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Floating particles (marine snow) drawn over a rendered view as soft discs where nothing nearer hides them. They
/// are fixed in the world, so they move with parallax like everything else; depth maps leave them out, as a depth
/// sensor would.
/// </summary>
internal static class ParticleLayer
{
    private const double RadiusM = 0.003;
    private const double MaxRadiusPx = 4, MinRadiusPx = 0.6;

    public static void Draw(float[] rgb, float[] depth, PinholeCamera camera, Se3 cameraFromWorld, IReadOnlyList<Vec3> particles, Vec3 colour)
    {
        int width = camera.Width, height = camera.Height;
        foreach (var particle in particles)
        {
            var p = cameraFromWorld.Act(particle);
            if (p.Z < 0.1) continue;
            double u = camera.Fx * p.X / p.Z + camera.Cx, v = camera.Fy * p.Y / p.Z + camera.Cy;
            double radius = Math.Clamp(RadiusM * camera.Fx / p.Z, MinRadiusPx, MaxRadiusPx);
            // Far particles fade into the water.
            double strength = 0.85 * Math.Exp(-0.25 * p.Z);
            int reach = (int)Math.Ceiling(2 * radius);
            int x0 = Math.Max(0, (int)Math.Round(u) - reach), x1 = Math.Min(width - 1, (int)Math.Round(u) + reach);
            int y0 = Math.Max(0, (int)Math.Round(v) - reach), y1 = Math.Min(height - 1, (int)Math.Round(v) + reach);
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                {
                    int i = y * width + x;
                    if (!(depth[i] > p.Z)) continue;
                    double d2 = (x - u) * (x - u) + (y - v) * (y - v);
                    float alpha = (float)(strength * Math.Exp(-0.5 * d2 / (radius * radius)));
                    rgb[3 * i] += alpha * ((float)colour.X - rgb[3 * i]);
                    rgb[3 * i + 1] += alpha * ((float)colour.Y - rgb[3 * i + 1]);
                    rgb[3 * i + 2] += alpha * ((float)colour.Z - rgb[3 * i + 2]);
                }
        }
    }
}
