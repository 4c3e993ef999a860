using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Mapping;

/// <summary>The map while it is built: poses, one landmark per track (or none), and which features are inliers.</summary>
internal sealed class MapState
{
    public readonly IReadOnlyList<PinholeCamera> Cameras;
    public readonly TrackBuilder Features;
    public readonly List<int[]> Tracks;
    public readonly Se3?[] Poses;
    public readonly Vec3?[] Landmarks;
    public readonly bool[] FeatureInlier;
    /// <summary>
    /// The BA residuals of feature f are <c>Residuals[ResidualStart[f]..ResidualStart[f + 1]]</c>: one per distinct
    /// (pixel, weight) among its sources, in order of first occurrence, counted as often as it occurs (a frame's query
    /// matched in two pairs is one residual counted twice). Found once here rather than in every BA of the map.
    /// </summary>
    public readonly FeatureResidual[] Residuals;
    public readonly int[] ResidualStart;
    public readonly int[] RegistrationOrder;
    public int RegisteredCount;

    public MapState(IReadOnlyList<PinholeCamera> cameras, TrackBuilder features, Func<double, double> observationWeight)
    {
        Cameras = cameras;
        Features = features;
        Tracks = features.Tracks();
        Poses = new Se3?[cameras.Count];
        Landmarks = new Vec3?[Tracks.Count];
        FeatureInlier = new bool[features.Count];
        (Residuals, ResidualStart) = DistinctResiduals(features, observationWeight);
        RegistrationOrder = new int[cameras.Count];
    }

    private static (FeatureResidual[] Residuals, int[] Start) DistinctResiduals(TrackBuilder features, Func<double, double> observationWeight)
    {
        var residuals = new FeatureResidual[features.SourceCount];
        var start = new int[features.Count + 1];
        int end = 0;
        for (int f = 0; f < features.Count; f++)
        {
            start[f] = end;
            foreach (var source in features.Sources(f))
            {
                var pixelPx = source.PixelPx;
                double weight = observationWeight(source.Confidence);
                int at = start[f];
                while (at < end && !(residuals[at].PixelPx == pixelPx && residuals[at].Weight == weight)) at++;
                if (at == end) residuals[end++] = new FeatureResidual(pixelPx, weight, 1);
                else residuals[at] = residuals[at] with { Multiplicity = residuals[at].Multiplicity + 1 };
            }
        }
        start[^1] = end;
        return (residuals, start);
    }

    public void Register(int frame, Se3 cameraFromWorld)
    {
        Poses[frame] = cameraFromWorld;
        RegistrationOrder[RegisteredCount++] = frame;
    }

    /// <summary>Pixel reprojection error of a feature against its track's landmark, or +inf when behind the camera.</summary>
    public double ResidualPx(int feature, Vec3 landmark)
    {
        int frame = Features.Frame[feature];
        var pc = Poses[frame]!.Value.Act(landmark);
        if (pc.Z <= 1e-9) return double.PositiveInfinity;
        return (Cameras[frame].Project(pc) - Features.Pixel[feature]).Norm;
    }

    /// <summary>
    /// Triangulates a track from its features in registered frames and keeps the features that
    /// reproject within the threshold; the landmark needs two such features far enough apart in angle.
    /// </summary>
    public bool Triangulate(int track, double maxErrorPx, double minAngleDeg)
    {
        var features = RegisteredFeatures(track);
        Landmarks[track] = null;
        foreach (var f in Tracks[track]) FeatureInlier[f] = false;
        if (features.Length < 2) return false;
        var views = new (Vec2 Normalized, Se3 CameraFromWorld)[features.Length];
        for (int i = 0; i < features.Length; i++) views[i] = (Features.Normalized[features[i]], Poses[Features.Frame[features[i]]]!.Value);
        if (Triangulation.Linear(views) is not { } x) return false;
        return Accept(track, x, features, maxErrorPx, minAngleDeg);
    }

    /// <summary>
    /// The track's features whose frame is registered, in track order: the track's own array when all are (no copy; the
    /// callers only read it). Loops, not LINQ: the mapper asks this of every track in every re-fit.
    /// </summary>
    public int[] RegisteredFeatures(int track)
    {
        var all = Tracks[track];
        int n = 0;
        foreach (int f in all) if (Poses[Features.Frame[f]] is not null) n++;
        if (n == all.Length) return all;
        var registered = new int[n];
        n = 0;
        foreach (int f in all) if (Poses[Features.Frame[f]] is not null) registered[n++] = f;
        return registered;
    }

    /// <summary>Sets the landmark if enough features agree with it; marks those features inliers.</summary>
    public bool Accept(int track, Vec3 x, int[] features, double maxErrorPx, double minAngleDeg)
    {
        var good = new int[features.Length];
        int count = 0;
        foreach (int f in features) if (ResidualPx(f, x) <= maxErrorPx) good[count++] = f;
        foreach (var f in Tracks[track]) FeatureInlier[f] = false;
        Landmarks[track] = null;
        if (count < 2 || !HasParallax(x, good, count, minAngleDeg)) return false;
        Landmarks[track] = x;
        for (int i = 0; i < count; i++) FeatureInlier[good[i]] = true;
        return true;
    }

    /// <summary>
    /// Whether some pair of the first <paramref name="count"/> features' rays is at least <paramref name="minAngleDeg"/> apart
    /// (or not comparable: NaN passes, as it did as the maximum).
    /// </summary>
    private bool HasParallax(Vec3 x, int[] features, int count, double minAngleDeg)
    {
        for (int i = 0; i < count; i++)
            for (int j = i + 1; j < count; j++)
                if (!(Triangulation.ParallaxDeg(x,
                        Poses[Features.Frame[features[i]]]!.Value.InverseTranslation,
                        Poses[Features.Frame[features[j]]]!.Value.InverseTranslation) < minAngleDeg))
                    return true;
        return false;
    }
}

/// <summary>A BA residual of one feature: its pixel, its weight, and how many identical sources it stands for.</summary>
internal readonly record struct FeatureResidual(Vec2 PixelPx, double Weight, int Multiplicity);
