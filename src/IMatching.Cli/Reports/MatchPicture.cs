using IMatching.Vision.Datasets;
using IMatching.Vision.Evaluation;
using OpenCvSharp;

namespace IMatching.Cli.Reports;

/// <summary>
/// The two images side by side with a line per match: green within <see cref="MetricThresholds.CorrectPx"/> of the
/// ground truth (homography or depth reprojection, else the epipolar line), red beyond, yellow where nothing can judge it.
/// </summary>
public static class MatchPicture
{
    // More lines than this hide each other; an even spread over the matches keeps the picture honest.
    private const int MaxLines = 200;
    private static readonly Scalar Correct = new(0, 200, 0), Wrong = new(0, 0, 255), Unjudged = new(0, 220, 255);

    public static void Save(string path, PairResult result, string caption)
    {
        using var a = FrameImageLoader.Load(result.Pair.ImagePathA);
        using var b = FrameImageLoader.Load(result.Pair.ImagePathB);
        using var canvas = new Mat(Math.Max(a.Rows, b.Rows), a.Cols + b.Cols, MatType.CV_8UC3, Scalar.Black);
        using (var left = canvas[new Rect(0, 0, a.Cols, a.Rows)]) a.CopyTo(left);
        using (var right = canvas[new Rect(a.Cols, 0, b.Cols, b.Rows)]) b.CopyTo(right);

        var matches = result.Matches;
        var errors = result.Metrics.MatchErrorsPx;
        int step = Math.Max(1, (matches.Count + MaxLines - 1) / MaxLines);
        for (int i = 0; i < matches.Count; i += step)
        {
            var colour = errors is null || double.IsNaN(errors[i]) ? Unjudged : errors[i] <= MetricThresholds.CorrectPx ? Correct : Wrong;
            var pa = new Point((int)Math.Round(matches.PointsA[i].X), (int)Math.Round(matches.PointsA[i].Y));
            var pb = new Point((int)Math.Round(matches.PointsB[i].X) + a.Cols, (int)Math.Round(matches.PointsB[i].Y));
            Cv2.Line(canvas, pa, pb, colour, 1, LineTypes.AntiAlias);
            Cv2.Circle(canvas, pa, 2, colour, -1, LineTypes.AntiAlias);
            Cv2.Circle(canvas, pb, 2, colour, -1, LineTypes.AntiAlias);
        }
        Cv2.PutText(canvas, caption, new Point(10, 28), HersheyFonts.HersheySimplex, 0.8, Scalar.Black, 4, LineTypes.AntiAlias);
        Cv2.PutText(canvas, caption, new Point(10, 28), HersheyFonts.HersheySimplex, 0.8, Scalar.White, 1, LineTypes.AntiAlias);
        if (!Cv2.ImWrite(path, canvas)) throw new IOException($"could not write {path}");
    }
}
