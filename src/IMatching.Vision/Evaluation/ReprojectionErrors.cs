using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Vision.Datasets;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// Reference locations from depth and poses: each query of A is lifted with A's depth, moved into B by the
/// ground-truth relative pose and projected with B's distortion; the error is the distance to the predicted match.
/// </summary>
public static class ReprojectionErrors
{
    /// <summary>NaN where the query has no valid depth, falls outside A's depth map or lands behind B.</summary>
    public static double[] Compute(Correspondences matches, PinholeCamera cameraA, DepthMap depthA, Se3 bFromA, PinholeCamera cameraB)
    {
        var errors = new double[matches.Count];
        for (int i = 0; i < errors.Length; i++)
        {
            var query = matches.PointsA[i];
            // Nearest pixel, not interpolation: blending across a depth edge invents a surface that is not there.
            int x = (int)Math.Round(query.X), y = (int)Math.Round(query.Y);
            float depth = x >= 0 && y >= 0 && x < depthA.Width && y < depthA.Height ? depthA.At(x, y) : float.NaN;
            errors[i] = double.NaN;
            if (float.IsNaN(depth)) continue;
            var inB = bFromA.Act(cameraA.Unproject(query, depth));
            if (inB.Z <= 0) continue;
            errors[i] = (cameraB.Project(inB) - matches.PointsB[i]).Norm;
        }
        return errors;
    }
}
