using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using OpenCvSharp;

namespace IMatching.Vision.Mapping;

/// <summary>
/// A frame's pose from 2-D/3-D matches: RANSAC PnP on undistorted normalised points (OpenCV),
/// later refined by the bundle adjuster. Null when RANSAC finds no model.
/// </summary>
internal static class PnpRegistration
{
    public static (Se3 CameraFromWorld, bool[] Inliers)? Solve(IReadOnlyList<Vec3> world, IReadOnlyList<Vec2> normalized, double thresholdNormalized, int minInliers)
    {
        if (world.Count < Math.Max(4, minInliers)) return null;
        var objectPoints = world.Select(p => new Point3d(p.X, p.Y, p.Z)).ToArray();
        var imagePoints = normalized.Select(p => new Point2d(p.X, p.Y)).ToArray();
        using var obj = InputArray.Create(objectPoints);
        using var img = InputArray.Create(imagePoints);
        using var k = Mat.Eye(3, 3, MatType.CV_64FC1).ToMat();
        using var dist = new Mat();
        using var rvec = new Mat();
        using var tvec = new Mat();
        using var inliers = new Mat();
        Cv2.SolvePnPRansac(obj, img, k, dist, rvec, tvec, false, 200, (float)thresholdNormalized, 0.999, inliers, SolvePnPMethod.AP3P);
        int inlierCount = inliers.Rows;
        if (rvec.Empty() || tvec.Empty() || inlierCount < minInliers) return null;
        var rotation = So3.Exp(new Vec3(rvec.At<double>(0), rvec.At<double>(1), rvec.At<double>(2)));
        var pose = new Se3(rotation, new Vec3(tvec.At<double>(0), tvec.At<double>(1), tvec.At<double>(2)));
        var flags = new bool[world.Count];
        for (int i = 0; i < inlierCount; i++) flags[inliers.At<int>(i)] = true;
        return pose.IsFinite ? (pose, flags) : null;
    }
}
