using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;
using IMatching.Vision.Matching;
using OpenCvSharp;

namespace IMatching.Vision.Mapping;

/// <summary>The relative pose of the initial pair: frame B's cameraFromWorld with frame A as the world, |t| = 1.</summary>
internal sealed record TwoViewInitialization(int Pair, int FrameA, int FrameB, Se3 BFromA, int Inliers, double MedianParallaxDeg);

/// <summary>
/// Chooses the initial pair and its relative pose: essential matrix by RANSAC on undistorted points,
/// pose recovery with the cheirality check, then the median parallax of the inliers, which tells a
/// real baseline from a pure rotation or no motion.
/// </summary>
internal static class TwoViewInitializer
{
    public static (TwoViewInitialization? Best, MappingFailure? Failure) Choose(IReadOnlyList<PinholeCamera> cameras, IReadOnlyList<Correspondences> pairs, MapperOptions options)
    {
        var candidates = new List<TwoViewInitialization>();
        bool anyEnoughInliers = false;
        // RANSAC on every pair is the dominant cost of mapping a clip, so pairs are tried in order of
        // median image motion (a cheap stand-in for parallax) and the search stops once enough qualify.
        var order = Enumerable.Range(0, pairs.Count)
            .Where(p => pairs[p].Count >= options.MinInitialMatches && pairs[p].FrameA != pairs[p].FrameB)
            .OrderByDescending(p => MedianMotionPx(pairs[p]))
            .ToArray();
        foreach (int p in order)
        {
            if (candidates.Count >= options.InitialPairCandidates) break;
            var c = pairs[p];
            var (estimate, ransacInliers) = Estimate(p, c, cameras[c.FrameA], cameras[c.FrameB], options);
            // Enough epipolar inliers but no pose with points in front, or tiny angles: the geometry lacks a baseline.
            anyEnoughInliers |= ransacInliers >= options.MinInitialInliers;
            if (estimate is not null && estimate.MedianParallaxDeg >= options.MinInitialParallaxDeg) candidates.Add(estimate);
        }
        if (candidates.Count == 0)
        {
            return anyEnoughInliers
                ? (null, new MappingFailure(MappingFailureReason.InsufficientParallax, $"no pair reaches a median parallax of {options.MinInitialParallaxDeg} deg: no motion or a pure rotation"))
                : (null, new MappingFailure(MappingFailureReason.TooFewMatches, $"no pair has {options.MinInitialMatches} matches with {options.MinInitialInliers} essential-matrix inliers"));
        }
        // Most parallax among the pairs that keep at least half the best inlier count.
        int bestInliers = candidates.Max(x => x.Inliers);
        var best = candidates.Where(x => 2 * x.Inliers >= bestInliers).MaxBy(x => x.MedianParallaxDeg)!;
        return (best, null);
    }

    private static double MedianMotionPx(Correspondences c)
    {
        var motion = new double[c.Count];
        for (int i = 0; i < c.Count; i++) motion[i] = (c.PointsB[i] - c.PointsA[i]).Norm;
        Array.Sort(motion);
        return motion[c.Count / 2];
    }

    private static (TwoViewInitialization? Estimate, int RansacInliers) Estimate(int pair, Correspondences c, PinholeCamera cameraA, PinholeCamera cameraB, MapperOptions options)
    {
        var na = c.PointsA.Select(p => cameraA.Undistort(p)).ToArray();
        var nb = c.PointsB.Select(p => cameraB.Undistort(p)).ToArray();
        double threshold = options.EssentialThresholdPx / Math.Sqrt(cameraA.MeanFocal * cameraB.MeanFocal);
        var inFront = new bool[c.Count];
        // The eight-point RANSAC is fast; a scene it cannot handle (e.g. nearly planar, where the
        // eight-point system degenerates) still gets OpenCV's five-point solver.
        var (pose, ransacInliers) = EightPoint(na, nb, threshold, options, inFront, pair);
        if (pose is null || inFront.Count(x => x) < options.MinInitialInliers)
            (pose, ransacInliers) = FivePoint(na, nb, threshold, options, inFront);
        if (pose is not { } bFromA || inFront.Count(x => x) < options.MinInitialInliers) return (null, ransacInliers);

        var parallax = new List<double>();
        var centreB = bFromA.InverseTranslation;
        for (int i = 0; i < c.Count; i++)
        {
            if (!inFront[i]) continue;
            (Vec2, Se3)[] views = [(na[i], Se3.Identity), (nb[i], bFromA)];
            if (Triangulation.Linear(views) is { } x) parallax.Add(Triangulation.ParallaxDeg(x, Vec3.Zero, centreB));
        }
        if (parallax.Count < options.MinInitialInliers) return (null, ransacInliers);
        parallax.Sort();
        return (new TwoViewInitialization(pair, c.FrameA, c.FrameB, bFromA, parallax.Count, parallax[parallax.Count / 2]), ransacInliers);
    }

    private static (Se3? BFromA, int RansacInliers) EightPoint(Vec2[] na, Vec2[] nb, double threshold, MapperOptions options, bool[] inFront, int seed)
    {
        if (EssentialRansac.Estimate(na, nb, threshold, options.RansacConfidence, seed: seed) is not { } estimate) return (null, 0);
        var (bFromA, _) = EssentialMatrix.RecoverPose(estimate.E, na, nb, estimate.Inliers, inFront);
        return (bFromA, estimate.InlierCount);
    }

    private static (Se3? BFromA, int RansacInliers) FivePoint(Vec2[] na, Vec2[] nb, double threshold, MapperOptions options, bool[] inFront)
    {
        Array.Clear(inFront);
        using var inA = InputArray.Create(na.Select(p => new Point2d(p.X, p.Y)).ToArray());
        using var inB = InputArray.Create(nb.Select(p => new Point2d(p.X, p.Y)).ToArray());
        using var mask = new Mat();
        using var e = Cv2.FindEssentialMat(inA, inB, 1.0, new Point2d(0, 0), EssentialMatMethod.Ransac, options.RansacConfidence, threshold, mask);
        if (e.Empty() || e.Rows != 3 || e.Cols != 3) return (null, 0);
        int ransacInliers = Cv2.CountNonZero(mask);
        using var r = new Mat();
        using var t = new Mat();
        Cv2.RecoverPose(e, inA, inB, r, t, 1.0, new Point2d(0, 0), mask);
        for (int i = 0; i < inFront.Length; i++) inFront[i] = mask.At<byte>(i) != 0;
        var rotation = new Mat3(
            r.At<double>(0, 0), r.At<double>(0, 1), r.At<double>(0, 2),
            r.At<double>(1, 0), r.At<double>(1, 1), r.At<double>(1, 2),
            r.At<double>(2, 0), r.At<double>(2, 1), r.At<double>(2, 2));
        var translation = new Vec3(t.At<double>(0), t.At<double>(1), t.At<double>(2)).Normalized();
        return (new Se3(So3.Orthonormalize(rotation), translation), ransacInliers);
    }
}
