using IMatching.Geometry.Linear;
using IMatching.Vision.Synthetic;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Synthetic;

/// <summary>Depth, poses and intrinsics are exact: they carry every pixel to where the renderer drew its surface point.</summary>
public sealed class SyntheticGeometryTests
{
    [Theory]
    [InlineData("office")]
    [InlineData("underwater")]
    [InlineData("night")]
    [InlineData("desert")]
    public void Depth_and_poses_carry_pixels_into_a_later_frame_where_the_colour_matches(string domain)
    {
        // Four frames apart, so pixels move several pixels; without sensor noise and vignetting, which would hide small errors.
        const int later = 4;
        using var views = new SyntheticViews(SyntheticDomains.Get(domain) with { NoiseSigma = 0, Vignette = 0 }, frames: later + 1, width: 320, height: 240);
        var camera = views.Camera;
        var frame1FromFrame0 = views.CameraFromWorld[later].Compose(views.CameraFromWorld[0].Inverse());
        var depth0 = views.Depths[0];
        var depth1 = views.Depths[later];
        var image0 = Pixels(views.Images[0]);
        var image1 = Pixels(views.Images[later]);
        int width = camera.Width, height = camera.Height;
        double warped = 0, offByOnePixel = 0, shiftPx = 0;
        int count = 0;
        for (int y = 2; y < height - 2; y++)
            for (int x = 2; x < width - 2; x++)
            {
                float z = depth0[y * width + x];
                if (IsDepthEdge(depth0, width, x, y)) continue;
                var p1 = frame1FromFrame0.Act(camera.Unproject(new Vec2(x, y), z));
                var q = camera.Project(p1);
                if (q.X < 2 || q.Y < 2 || q.X > width - 3 || q.Y > height - 3) continue;
                int qx = (int)Math.Round(q.X), qy = (int)Math.Round(q.Y);
                // Unoccluded: frame 1 sees the same surface there, at the depth the transform predicts.
                if (Math.Abs(depth1[qy * width + qx] - p1.Z) > 0.01 * p1.Z || IsDepthEdge(depth1, width, qx, qy)) continue;
                for (int c = 0; c < 3; c++)
                {
                    double here = image0[(y * width + x) * 3 + c];
                    warped += Math.Abs(Bilinear(image1, width, q.X, q.Y, c) - here);
                    offByOnePixel += Math.Abs(Bilinear(image1, width, q.X + 1, q.Y, c) - here);
                }
                shiftPx += (q - new Vec2(x, y)).Norm;
                count++;
            }
        warped /= 3 * count;
        offByOnePixel /= 3 * count;
        shiftPx /= count;
        Assert.True(count > width * height / 2, $"{domain}: only {count} of {width * height} pixels usable");
        Assert.True(shiftPx > 1, $"{domain}: pixels moved only {shiftPx:F2} px");
        Assert.True(warped < 5, $"{domain}: mean abs colour difference {warped:F2} grey levels after warping");
        Assert.True(warped < 0.7 * offByOnePixel, $"{domain}: {warped:F2} grey levels at the predicted pixel, {offByOnePixel:F2} a pixel away");
    }

    [Fact]
    public void Each_pixel_centre_ray_hits_a_point_that_projects_back_onto_it_at_its_depth()
    {
        using var views = new SyntheticViews("office", frames: 3, width: 80, height: 60);
        var camera = views.Camera;
        for (int k = 0; k < 3; k++)
        {
            var pose = views.CameraFromWorld[k];
            var eye = pose.InverseTranslation;
            for (int y = 0; y < camera.Height; y += 7)
                for (int x = 0; x < camera.Width; x += 5)
                {
                    var direction = pose.Rotation.TransposeTimes(camera.Unproject(new Vec2(x, y), 1));
                    Assert.True(views.Scene.Cast(eye, direction, out var hit));
                    var point = pose.Act(eye + hit.Distance * direction);
                    var pixel = camera.Project(point);
                    Assert.True(Math.Abs(pixel.X - x) < 1e-9 && Math.Abs(pixel.Y - y) < 1e-9, $"frame {k}: ({x}, {y}) came back as {pixel}");
                    Assert.Equal(point.Z, views.Depths[k][y * camera.Width + x], point.Z * 1e-6);
                }
        }
    }

    private static bool IsDepthEdge(float[] depth, int width, int x, int y)
    {
        float z = depth[y * width + x];
        if (!float.IsFinite(z)) return true;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
                if (!(Math.Abs(depth[(y + dy) * width + x + dx] - z) <= 0.02 * z)) return true;
        return false;
    }

    private static byte[] Pixels(Mat image)
    {
        var bytes = new byte[image.Total() * 3];
        System.Runtime.InteropServices.Marshal.Copy(image.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    private static double Bilinear(byte[] image, int width, double x, double y, int c)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        double At(int xi, int yi) => image[(yi * width + xi) * 3 + c];
        return (1 - fy) * ((1 - fx) * At(x0, y0) + fx * At(x0 + 1, y0)) + fy * ((1 - fx) * At(x0, y0 + 1) + fx * At(x0 + 1, y0 + 1));
    }
}
