using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Casts the rays of one view, rows in parallel: an n x n grid of samples per pixel averaged into its colour
/// (supersampling against texture and edge aliasing) and the exact depth z of the ray through the pixel centre,
/// so depth and poses back-project every pixel exactly. Undistorted pinhole camera.
/// </summary>
internal static class RayCaster
{
    /// <summary>Colours (RGB, row-major, [0, 1]-ish, not clamped) and depths in metres (NaN where a ray hit nothing).</summary>
    public static (float[] Rgb, float[] Depth) Cast(RoomScene scene, SurfaceShader shader, PinholeCamera camera, Se3 cameraFromWorld, int supersampling)
    {
        if (supersampling < 1) throw new ArgumentOutOfRangeException(nameof(supersampling), supersampling, "At least one sample per pixel.");
        int width = camera.Width, height = camera.Height, n = supersampling;
        var rgb = new float[width * height * 3];
        var depth = new float[width * height];
        var rotation = cameraFromWorld.Rotation;
        var eye = cameraFromWorld.InverseTranslation;
        var forward = rotation.TransposeTimes(new Vec3(0, 0, 1));
        var offsets = Enumerable.Range(0, n).Select(i => (i + 0.5) / n - 0.5).ToArray();
        bool centreSampled = n % 2 == 1;
        double weight = 1.0 / (n * n);

        Parallel.For(0, height, y =>
        {
            for (int x = 0; x < width; x++)
            {
                var sum = Vec3.Zero;
                double z = double.NaN;
                foreach (double dy in offsets)
                    foreach (double dx in offsets)
                    {
                        // Direction with z = 1 in the camera frame: the ray parameter of a hit is its depth.
                        var ray = rotation.TransposeTimes(new Vec3((x + dx - camera.Cx) / camera.Fx, (y + dy - camera.Cy) / camera.Fy, 1));
                        if (!scene.Cast(eye, ray, out var hit)) continue;
                        if (dx == 0 && dy == 0) z = hit.Distance;
                        sum += shader.Shade(scene.Albedo(hit), eye + hit.Distance * ray, hit.Normal, eye, forward);
                    }
                if (!centreSampled)
                {
                    var centre = rotation.TransposeTimes(new Vec3((x - camera.Cx) / camera.Fx, (y - camera.Cy) / camera.Fy, 1));
                    if (scene.Cast(eye, centre, out var hit)) z = hit.Distance;
                }
                int i = y * width + x;
                depth[i] = (float)z;
                rgb[3 * i] = (float)(sum.X * weight);
                rgb[3 * i + 1] = (float)(sum.Y * weight);
                rgb[3 * i + 2] = (float)(sum.Z * weight);
            }
        });
        return (rgb, depth);
    }
}
