using IMatching.Geometry.Linear;
using OpenCvSharp;

namespace IMatching.Learning.Pretraining;

/// <summary>
/// Random homographies b_from_a in OpenCV's pixel convention (pixel centres at integers), the convention
/// <c>Cv2.WarpPerspective</c> uses: warping image A by H puts A's pixel p at H·p in B.
/// </summary>
public static class RandomHomography
{
    /// <summary>
    /// Moves A's four corner pixels by a similarity about the image centre, a translation and an independent jitter
    /// each, and returns the homography through them. Draws again in the rare case the corners fold over, so every
    /// result keeps A's whole frame on the positive side of the projective plane.
    /// </summary>
    public static Mat3 Sample(int width, int height, HomographyAugmentation range, Random random)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        range.Validate();
        Point2d[] corners = [new(0, 0), new(width - 1, 0), new(width - 1, height - 1), new(0, height - 1)];
        var centre = new Point2d((width - 1) / 2.0, (height - 1) / 2.0);
        while (true)
        {
            double angle = Uniform(random, range.MaxRotationDegrees) * Math.PI / 180;
            // Log-uniform: zooming in by 1.25 is as likely as zooming out by 1/1.25.
            double scale = Math.Exp(Math.Log(range.MinScale) + random.NextDouble() * (Math.Log(range.MaxScale) - Math.Log(range.MinScale)));
            var shift = new Point2d(Uniform(random, range.MaxTranslation) * width, Uniform(random, range.MaxTranslation) * height);
            double cos = Math.Cos(angle) * scale, sin = Math.Sin(angle) * scale;
            var moved = corners.Select(c =>
            {
                Point2d d = c - centre;
                var jitter = new Point2d(Uniform(random, range.MaxCornerJitter) * width, Uniform(random, range.MaxCornerJitter) * height);
                return centre + new Point2d(cos * d.X - sin * d.Y, sin * d.X + cos * d.Y) + shift + jitter;
            }).ToArray();
            Mat3 h = Through(corners, moved);
            if (corners.All(c => h.M20 * c.X + h.M21 * c.Y + h.M22 > 0)) return h;
        }
    }

    /// <summary>Where the homography sends a point (no check for the line at infinity: callers' points are in front).</summary>
    public static Vec2 Apply(Mat3 bFromA, Vec2 a)
    {
        Vec3 q = bFromA * new Vec3(a.X, a.Y, 1);
        return new Vec2(q.X / q.Z, q.Y / q.Z);
    }

    /// <summary>The matrix OpenCV's warping functions take.</summary>
    public static Mat ToMat(Mat3 h)
    {
        var mat = new Mat(3, 3, MatType.CV_64FC1);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) mat.Set(r, c, h[r, c]);
        return mat;
    }

    private static Mat3 Through(Point2d[] from, Point2d[] to)
    {
        using Mat h = Cv2.GetPerspectiveTransform(from.Select(ToFloat), to.Select(ToFloat));
        // Normalised so that H22 = 1, as GetPerspectiveTransform already returns it.
        return new Mat3(h.At<double>(0, 0), h.At<double>(0, 1), h.At<double>(0, 2), h.At<double>(1, 0), h.At<double>(1, 1), h.At<double>(1, 2),
            h.At<double>(2, 0), h.At<double>(2, 1), h.At<double>(2, 2));
    }

    private static Point2f ToFloat(Point2d p) => new((float)p.X, (float)p.Y);

    private static double Uniform(Random random, double limit) => (2 * random.NextDouble() - 1) * limit;
}
