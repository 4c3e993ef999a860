using IMatching.Geometry.Linear;
using OpenCvSharp;
using CvSize = OpenCvSharp.Size;

namespace IMatching.Vision.Tests.TestSupport;

/// <summary>Images drawn with OpenCV from a seed, and their copies under a known transform.</summary>
public static class SyntheticImages
{
    /// <summary>Random filled circles, ellipses and rectangles in random colours, slightly blurred: corners and blobs at every scale.</summary>
    public static Mat Textured(int width = 640, int height = 480, int seed = 1)
    {
        var random = new Random(seed);
        var image = new Mat(height, width, MatType.CV_8UC3, new Scalar(128, 128, 128));
        for (int i = 0; i < width * height / 500; i++)
        {
            var colour = new Scalar(random.Next(256), random.Next(256), random.Next(256));
            var centre = new Point(random.Next(width), random.Next(height));
            int size = random.Next(3, 30);
            switch (random.Next(3))
            {
                case 0: Cv2.Circle(image, centre, size, colour, -1, LineTypes.AntiAlias); break;
                case 1: Cv2.Ellipse(image, centre, new CvSize(size, random.Next(2, 15)), random.Next(180), 0, 360, colour, -1, LineTypes.AntiAlias); break;
                default: Cv2.Rectangle(image, new Rect(centre.X, centre.Y, size, random.Next(3, 30)), colour, -1); break;
            }
        }
        Cv2.GaussianBlur(image, image, new CvSize(0, 0), 1.0);
        return image;
    }

    /// <summary>
    /// A 64-pixel tile of <see cref="Textured"/> repeated over 640x480, with a faint unique texture on
    /// top: every descriptor has near twins a tile away, and only the faint part tells them apart.
    /// </summary>
    public static Mat Repetitive()
    {
        const int width = 640, height = 480, tilePx = 64;
        const double uniqueWeight = 0.15;
        using Mat tile = Textured(tilePx, tilePx, seed: 2);
        using Mat tiled = new();
        Cv2.Repeat(tile, height / tilePx + 1, width / tilePx + 1, tiled);
        using Mat cropped = tiled[new Rect(0, 0, width, height)];
        using Mat unique = Textured(width, height, seed: 3);
        var image = new Mat();
        Cv2.AddWeighted(cropped, 1 - uniqueWeight, unique, uniqueWeight, 0, image);
        return image;
    }

    /// <summary>The image moved by (dx, dy) pixels: what was at p is at p + (dx, dy); uncovered pixels are black.</summary>
    public static Mat Translated(Mat image, int dx, int dy)
    {
        using var affine = Mat.FromPixelData(2, 3, MatType.CV_64FC1, new double[] { 1, 0, dx, 0, 1, dy });
        var moved = new Mat();
        Cv2.WarpAffine(image, moved, affine, image.Size(), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
        return moved;
    }

    /// <summary>The image warped so that what was at p is at H p (homogeneous, pixel centres at integers as OpenCV's warp has them).</summary>
    public static Mat Warped(Mat image, Mat3 h)
    {
        using Mat hMat = ToMat(h);
        var warped = new Mat();
        Cv2.WarpPerspective(image, warped, hMat, image.Size(), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
        return warped;
    }

    private static Mat ToMat(Mat3 h) => Mat.FromPixelData(3, 3, MatType.CV_64FC1,
        new[] { h.M00, h.M01, h.M02, h.M10, h.M11, h.M12, h.M20, h.M21, h.M22 });
}
