using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;

namespace IMatching.Vision.Mapping;

/// <summary>
/// A frame's pose from 2-D/3-D matches: P3P RANSAC on undistorted normalised points (<see cref="PnpRansac"/>),
/// with a Gauss-Newton pass on the inliers, later refined by the bundle adjuster. Null when RANSAC finds no model.
/// </summary>
internal static class PnpRegistration
{
    public static (Se3 CameraFromWorld, bool[] Inliers)? Solve(IReadOnlyList<Vec3> world, IReadOnlyList<Vec2> normalized, double thresholdNormalized, int minInliers)
    {
        if (world.Count < Math.Max(4, minInliers)) return null;
        var worldPoints = world.ToArray();
        var imagePoints = normalized.ToArray();
        if (PnpRansac.Estimate(worldPoints, imagePoints, thresholdNormalized, confidence: 0.999, maxIterations: 200) is not { } estimate) return null;
        if (estimate.InlierCount < minInliers || !estimate.CameraFromWorld.IsFinite) return null;
        return (estimate.CameraFromWorld, estimate.Inliers);
    }
}
