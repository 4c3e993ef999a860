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
    public readonly int[] RegistrationOrder;
    public int RegisteredCount;

    public MapState(IReadOnlyList<PinholeCamera> cameras, TrackBuilder features)
    {
        Cameras = cameras;
        Features = features;
        Tracks = features.Tracks();
        Poses = new Se3?[cameras.Count];
        Landmarks = new Vec3?[Tracks.Count];
        FeatureInlier = new bool[features.Count];
        RegistrationOrder = new int[cameras.Count];
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
        var features = Tracks[track].Where(f => Poses[Features.Frame[f]] is not null).ToArray();
        Landmarks[track] = null;
        foreach (var f in Tracks[track]) FeatureInlier[f] = false;
        if (features.Length < 2) return false;
        var views = features.Select(f => (Features.Normalized[f], Poses[Features.Frame[f]]!.Value)).ToArray();
        if (Triangulation.Linear(views) is not { } x) return false;
        return Accept(track, x, features, maxErrorPx, minAngleDeg);
    }

    /// <summary>Sets the landmark if enough features agree with it; marks those features inliers.</summary>
    public bool Accept(int track, Vec3 x, int[] features, double maxErrorPx, double minAngleDeg)
    {
        var good = features.Where(f => ResidualPx(f, x) <= maxErrorPx).ToArray();
        foreach (var f in Tracks[track]) FeatureInlier[f] = false;
        Landmarks[track] = null;
        if (good.Length < 2 || !HasParallax(x, good, minAngleDeg)) return false;
        Landmarks[track] = x;
        foreach (var f in good) FeatureInlier[f] = true;
        return true;
    }

    /// <summary>Whether some pair of the features' rays is at least <paramref name="minAngleDeg"/> apart (or not comparable: NaN passes, as it did as the maximum).</summary>
    private bool HasParallax(Vec3 x, int[] features, double minAngleDeg)
    {
        for (int i = 0; i < features.Length; i++)
            for (int j = i + 1; j < features.Length; j++)
                if (!(Triangulation.ParallaxDeg(x,
                        Poses[Features.Frame[features[i]]]!.Value.InverseTranslation,
                        Poses[Features.Frame[features[j]]]!.Value.InverseTranslation) < minAngleDeg))
                    return true;
        return false;
    }
}
