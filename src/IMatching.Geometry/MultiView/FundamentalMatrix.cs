using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.MultiView;

/// <summary>
/// The fundamental matrix of two views from their poses and pinhole intrinsics: a pixel <c>xA</c> of view A and its
/// match <c>xB</c> in view B satisfy <c>xBᵀ F xA = 0</c> (homogeneous pixels, pixel centres at integers).
/// </summary>
public static class FundamentalMatrix
{
    /// <param name="cameraFromWorldA">Pose of view A.</param>
    /// <param name="cameraFromWorldB">Pose of view B.</param>
    /// <param name="intrinsicsA">K of view A (fx, 0, cx; 0, fy, cy; 0, 0, 1).</param>
    /// <param name="intrinsicsB">K of view B.</param>
    public static Mat3 FromPoses(Se3 cameraFromWorldA, Se3 cameraFromWorldB, Mat3 intrinsicsA, Mat3 intrinsicsB)
    {
        Se3 bFromA = cameraFromWorldB.Compose(cameraFromWorldA.Inverse());
        Mat3 essential = Mat3.Hat(bFromA.Translation) * bFromA.Rotation;
        return intrinsicsB.Inverse().Transpose() * essential * intrinsicsA.Inverse();
    }

    /// <summary>K of a pinhole camera with focal lengths and principal point in pixels.</summary>
    public static Mat3 Intrinsics(double fx, double fy, double cx, double cy) => new(fx, 0, cx, 0, fy, cy, 0, 0, 1);
}
