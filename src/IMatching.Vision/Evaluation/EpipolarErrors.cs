using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// Symmetric epipolar distance of each match under the ground-truth relative pose, in pixels: the mean of
/// the distance of B's point to the epipolar line of A's point and the reverse, measured on undistorted
/// normalised points and scaled by each image's mean focal length. Needs poses but no depth.
/// </summary>
public static class EpipolarErrors
{
    public static double[] Compute(Correspondences matches, PinholeCamera cameraA, Se3 bFromA, PinholeCamera cameraB)
    {
        var e = EssentialMatrix.FromPose(bFromA);
        var errors = new double[matches.Count];
        for (int i = 0; i < errors.Length; i++)
        {
            var a = cameraA.Undistort(matches.PointsA[i]);
            var b = cameraB.Undistort(matches.PointsB[i]);
            errors[i] = DistancePx(e, new Vec3(a.X, a.Y, 1), new Vec3(b.X, b.Y, 1), cameraA.MeanFocal, cameraB.MeanFocal);
        }
        return errors;
    }

    /// <summary>With no baseline E vanishes and no line exists: NaN, the match cannot be judged.</summary>
    public static double DistancePx(Mat3 e, Vec3 a, Vec3 b, double focalA, double focalB)
    {
        var lineInB = e * a;
        var lineInA = e.TransposeTimes(b);
        double residual = Math.Abs(b.Dot(lineInB));
        double normB = Math.Sqrt(lineInB.X * lineInB.X + lineInB.Y * lineInB.Y);
        double normA = Math.Sqrt(lineInA.X * lineInA.X + lineInA.Y * lineInA.Y);
        if (normA == 0 || normB == 0) return double.NaN;
        return 0.5 * (residual / normB * focalB + residual / normA * focalA);
    }
}
