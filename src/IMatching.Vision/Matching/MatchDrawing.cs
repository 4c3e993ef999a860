using OpenCvSharp;

namespace IMatching.Vision.Matching;

/// <summary>Both images side by side with a line per match, coloured from red (least confident) to green (most).</summary>
public static class MatchDrawing
{
    public static Mat SideBySide(Mat imageA, Mat imageB, Correspondences matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        using Mat a = Bgr(imageA);
        using Mat b = Bgr(imageB);
        var canvas = new Mat(Math.Max(a.Rows, b.Rows), a.Cols + b.Cols, MatType.CV_8UC3, Scalar.Black);
        using (Mat left = canvas[new Rect(0, 0, a.Cols, a.Rows)]) a.CopyTo(left);
        using (Mat right = canvas[new Rect(a.Cols, 0, b.Cols, b.Rows)]) b.CopyTo(right);

        // Confidence scales differ between matchers (probabilities, similarities, 1/(1+std)); only their order is comparable.
        double low = matches.Count > 0 ? matches.Confidence.Min() : 0, high = matches.Count > 0 ? matches.Confidence.Max() : 1;
        double range = high > low ? high - low : 1;
        for (int i = 0; i < matches.Count; i++)
        {
            double t = (matches.Confidence[i] - low) / range;
            var colour = new Scalar(0, 255 * t, 255 * (1 - t));
            var pa = new Point2d(matches.PointsA[i].X, matches.PointsA[i].Y);
            var pb = new Point2d(matches.PointsB[i].X + a.Cols, matches.PointsB[i].Y);
            Cv2.Line(canvas, Rounded(pa), Rounded(pb), colour, 1, LineTypes.AntiAlias);
            Cv2.Circle(canvas, Rounded(pa), 2, colour, -1, LineTypes.AntiAlias);
            Cv2.Circle(canvas, Rounded(pb), 2, colour, -1, LineTypes.AntiAlias);
        }
        return canvas;
    }

    private static Point Rounded(Point2d p) => new((int)Math.Round(p.X), (int)Math.Round(p.Y));

    private static Mat Bgr(Mat image) => image.Channels() switch
    {
        1 => image.CvtColor(ColorConversionCodes.GRAY2BGR),
        4 => image.CvtColor(ColorConversionCodes.BGRA2BGR),
        _ => image.Clone(),
    };
}
