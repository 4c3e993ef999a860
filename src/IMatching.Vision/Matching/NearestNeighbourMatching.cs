using OpenCvSharp;

namespace IMatching.Vision.Matching;

/// <summary>Brute-force 2-NN matching of descriptors with Lowe's ratio test and the mutual check.</summary>
internal static class NearestNeighbourMatching
{
    /// <summary>Matches ordered by index in A. Brute force rather than FLANN: FLANN's randomised trees would make the result vary between runs.</summary>
    public static DescriptorMatch[] Match(Mat descriptorsA, Mat descriptorsB, NormTypes norm, DescriptorMatcherOptions options)
    {
        if (descriptorsA.Rows == 0 || descriptorsB.Rows == 0) return [];
        using var matcher = new BFMatcher(norm);
        DMatch[][] forward = matcher.KnnMatch(descriptorsA, descriptorsB, k: 2);
        int[] backward = options.MutualCheck ? NearestInA(matcher, descriptorsA, descriptorsB) : [];

        var matches = new List<DescriptorMatch>();
        foreach (DMatch[] neighbours in forward)
        {
            if (neighbours.Length == 0) continue;
            DMatch best = neighbours[0];
            // Without a second neighbour, or with two at distance 0, nothing says the best is unambiguous.
            double ratio = neighbours.Length > 1 && neighbours[1].Distance > 0 ? best.Distance / neighbours[1].Distance : 1;
            if (options.Ratio is { } maxRatio && !(ratio < maxRatio)) continue;
            if (options.MutualCheck && backward[best.TrainIdx] != best.QueryIdx) continue;
            matches.Add(new DescriptorMatch(best.QueryIdx, best.TrainIdx, ratio));
        }
        return [.. matches.OrderBy(m => m.IndexA)];
    }

    private static int[] NearestInA(BFMatcher matcher, Mat descriptorsA, Mat descriptorsB)
    {
        var nearest = Enumerable.Repeat(-1, descriptorsB.Rows).ToArray();
        foreach (DMatch m in matcher.Match(descriptorsB, descriptorsA)) nearest[m.QueryIdx] = m.TrainIdx;
        return nearest;
    }
}
