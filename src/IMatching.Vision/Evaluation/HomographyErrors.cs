using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Evaluation;

/// <summary>Distance in B's pixels between each predicted match and where the ground-truth homography sends its query.</summary>
public static class HomographyErrors
{
    public static double[] Compute(Correspondences matches, Mat3 bFromA)
    {
        var errors = new double[matches.Count];
        for (int i = 0; i < errors.Length; i++)
        {
            var a = matches.PointsA[i];
            var q = bFromA * new Vec3(a.X, a.Y, 1);
            // A query mapped to infinity has no reference location.
            errors[i] = q.Z == 0 ? double.NaN : (new Vec2(q.X / q.Z, q.Y / q.Z) - matches.PointsB[i]).Norm;
        }
        return errors;
    }

    /// <summary>Row-major homography as <see cref="Datasets.HomographySet"/> stores it.</summary>
    public static Mat3 ToMat3(IReadOnlyList<double> h) => new(h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]);
}
