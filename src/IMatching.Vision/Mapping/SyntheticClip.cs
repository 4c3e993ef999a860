using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;

namespace IMatching.Vision.Mapping;

public enum SyntheticMotion { Sideways, PureRotation, None }

/// <summary>
/// Correspondences over a clip with exact ground truth, for tests and benchmarks of the mapper:
/// pairs (k-2, k) and (k-1, k), noisy projections of one point set (so tracks chain across pairs)
/// and planted outliers whose origin ids are known.
/// </summary>
public sealed class SyntheticClip
{
    public required PinholeCamera Camera { get; init; }
    public required Se3[] CameraFromWorld { get; init; }
    public required Correspondences[] Pairs { get; init; }
    /// <summary>Origin ids of the correspondences whose frame-B point was replaced by a random pixel.</summary>
    public required HashSet<long> OutlierOrigins { get; init; }

    public IReadOnlyList<PinholeCamera> Cameras => Enumerable.Repeat(Camera, CameraFromWorld.Length).ToArray();

    public static long OriginId(int pair, int index) => pair * 1_000_000L + index;

    public static SyntheticClip Generate(int frames = 6, int correspondencesPerPair = 300, double noisePx = 0.5,
        double outlierFraction = 0, SyntheticMotion motion = SyntheticMotion.Sideways, int seed = 1)
    {
        var rng = new Random(seed);
        var camera = new PinholeCamera(640, 480, 500, 500, 319.5, 239.5, K1: -0.05, K2: 0.01);
        var poses = new Se3[frames];
        for (int k = 0; k < frames; k++)
        {
            var centre = motion == SyntheticMotion.Sideways ? new Vec3(0.15 * k, 0.02 * Math.Sin(k), 0.03 * k) : Vec3.Zero;
            double yaw = motion == SyntheticMotion.None ? 0 : (motion == SyntheticMotion.PureRotation ? 2.0 : 0.5) * k * Math.PI / 180;
            var worldFromCamera = new Se3(So3.Exp(new Vec3(0, yaw, 0)), centre);
            poses[k] = worldFromCamera.Inverse();
        }
        int pointCount = 3 * correspondencesPerPair;
        var points = new Vec3[pointCount];
        for (int j = 0; j < pointCount; j++)
            points[j] = new Vec3(6 * rng.NextDouble() - 3, 4 * rng.NextDouble() - 2, 3 + 4 * rng.NextDouble());
        // One noisy pixel per (frame, point): a point matched in two pairs lands on the same feature.
        var pixels = new Vec2?[frames, pointCount];
        for (int k = 0; k < frames; k++)
            for (int j = 0; j < pointCount; j++)
            {
                var pc = poses[k].Act(points[j]);
                if (pc.Z <= 0.1) continue;
                var p = camera.Project(pc);
                if (p.X < 0 || p.Y < 0 || p.X > camera.Width - 1 || p.Y > camera.Height - 1) continue;
                pixels[k, j] = p + noisePx * new Vec2(Gaussian(rng), Gaussian(rng));
            }

        var pairs = new List<Correspondences>();
        var outliers = new HashSet<long>();
        for (int k = 1; k < frames; k++)
        {
            for (int a = Math.Max(0, k - 2); a < k; a++)
            {
                int pair = pairs.Count;
                var pa = new List<Vec2>();
                var pb = new List<Vec2>();
                var ids = new List<long>();
                for (int j = 0; j < pointCount && pa.Count < correspondencesPerPair; j++)
                {
                    if (pixels[a, j] is not { } xa || pixels[k, j] is not { } xb) continue;
                    long id = OriginId(pair, pa.Count);
                    if (rng.NextDouble() < outlierFraction)
                    {
                        xb = new Vec2(rng.NextDouble() * (camera.Width - 1), rng.NextDouble() * (camera.Height - 1));
                        outliers.Add(id);
                    }
                    pa.Add(xa);
                    pb.Add(xb);
                    ids.Add(id);
                }
                pairs.Add(Correspondences.Create(a, k, pa.ToArray(), pb.ToArray(), originIds: ids.ToArray()));
            }
        }
        return new SyntheticClip { Camera = camera, CameraFromWorld = poses, Pairs = pairs.ToArray(), OutlierOrigins = outliers };
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
