using System.Globalization;
using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Tests.TestSupport;

/// <summary>Checks matches against a known homography from image A to image B.</summary>
public static class Homographies
{
    public static Vec2 Map(Mat3 h, Vec2 p)
    {
        Vec3 q = h * new Vec3(p.X, p.Y, 1);
        return new Vec2(q.X / q.Z, q.Y / q.Z);
    }

    /// <summary>Fraction of matches whose B point lies within <paramref name="thresholdPx"/> of H times the A point (0 for no matches).</summary>
    public static double FractionWithin(Correspondences matches, Mat3 h, double thresholdPx) =>
        matches.Count == 0 ? 0 : CountWithin(matches, h, thresholdPx) / (double)matches.Count;

    public static int CountWithin(Correspondences matches, Mat3 h, double thresholdPx) =>
        Enumerable.Range(0, matches.Count).Count(i => (Map(h, matches.PointsA[i]) - matches.PointsB[i]).Norm <= thresholdPx);

    /// <summary>A 3x3 matrix written row-major as whitespace-separated numbers (the Oxford affine datasets' H1toNp files).</summary>
    public static Mat3 Read(string path)
    {
        double[] v = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (v.Length != 9) throw new FormatException($"{path}: expected 9 numbers, found {v.Length}.");
        return new Mat3(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }

    public static Mat3 Translation(double dx, double dy) => new(1, 0, dx, 0, 1, dy, 0, 0, 1);
}
