using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;
using OpenCvSharp;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// The pose-estimation step of the LoFTR/SuperGlue benchmark, with OpenCV as they use it so the numbers are
/// comparable: five-point RANSAC (<c>findEssentialMat</c>) on undistorted normalised points with threshold
/// 0.5 px over the mean focal length and confidence 0.99999, then <c>recoverPose</c> on each returned
/// solution, keeping the one with most points in front. OpenCV's RANSAC seeds its own generator, so the
/// result is deterministic.
/// </summary>
public static class RelativePoseEstimator
{
    public const double ThresholdPx = 0.5;
    public const double Confidence = 0.99999;
    private const int MinimumMatches = 5;
    // recoverPose's cheirality test drops points farther than this (in baseline units); the protocol keeps all.
    private const double DistanceThreshold = 1e9;

    /// <summary>The estimated bFromA with unit translation, or null when there are too few matches or RANSAC fails.</summary>
    public static Se3? Estimate(Correspondences matches, PinholeCamera cameraA, PinholeCamera cameraB)
    {
        if (matches.Count < MinimumMatches) return null;
        var pointsA = matches.PointsA.Select(p => Normalised(cameraA, p)).ToArray();
        var pointsB = matches.PointsB.Select(p => Normalised(cameraB, p)).ToArray();
        double threshold = ThresholdPx / (0.5 * (cameraA.MeanFocal + cameraB.MeanFocal));
        using var inA = InputArray.Create(pointsA);
        using var inB = InputArray.Create(pointsB);
        using var identity = Mat.Eye(3, 3, MatType.CV_64FC1).ToMat();
        using var mask = new Mat();
        using var e = Cv2.FindEssentialMat(inA, inB, identity, EssentialMatMethod.Ransac, Confidence, threshold, mask);
        int rows = e.Rows;
        if (e.Empty() || e.Cols != 3 || rows % 3 != 0) return null;
        Se3? best = null;
        int bestInFront = 0;
        // Five-point RANSAC may return up to ten solutions stacked as 3x3 blocks.
        for (int row = 0; row < rows; row += 3)
        {
            using var solution = e.RowRange(row, row + 3);
            using var solutionMask = mask.Clone();
            using var r = new Mat();
            using var t = new Mat();
            using var triangulated = new Mat();
            int inFront = Cv2.RecoverPose(solution, inA, inB, identity, r, t, DistanceThreshold, solutionMask, triangulated);
            if (inFront <= bestInFront) continue;
            bestInFront = inFront;
            best = new Se3(Rotation(r), new Vec3(t.At<double>(0), t.At<double>(1), t.At<double>(2)));
        }
        return best;
    }

    private static Point2d Normalised(PinholeCamera camera, Vec2 pixel)
    {
        var n = camera.Undistort(pixel);
        return new Point2d(n.X, n.Y);
    }

    private static Mat3 Rotation(Mat r) => new(
        r.At<double>(0, 0), r.At<double>(0, 1), r.At<double>(0, 2),
        r.At<double>(1, 0), r.At<double>(1, 1), r.At<double>(1, 2),
        r.At<double>(2, 0), r.At<double>(2, 1), r.At<double>(2, 2));
}
