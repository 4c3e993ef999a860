using IMatching.Geometry.Lie;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Poses sampled at timestamps (in whatever frames the file gives, e.g. worldFromCamera), looked up at the
/// timestamps of images taken by a different clock tick.
/// </summary>
internal sealed class PoseTrajectory
{
    private readonly double[] _times;
    private readonly Se3[] _poses;

    public PoseTrajectory(IEnumerable<(double Time, Se3 Pose)> samples)
    {
        var sorted = samples.OrderBy(s => s.Time).ToArray();
        _times = [.. sorted.Select(s => s.Time)];
        _poses = [.. sorted.Select(s => s.Pose)];
    }

    /// <summary>
    /// The pose at <paramref name="time"/>: interpolated (linear translation, geodesic rotation) between the samples
    /// either side when both lie within <paramref name="toleranceSeconds"/>, else the nearer one within it, else null.
    /// </summary>
    public Se3? At(double time, double toleranceSeconds)
    {
        int after = Array.BinarySearch(_times, time);
        if (after >= 0) return _poses[after];
        after = ~after;
        int before = after - 1;
        bool hasBefore = before >= 0 && time - _times[before] <= toleranceSeconds;
        bool hasAfter = after < _times.Length && _times[after] - time <= toleranceSeconds;
        if (hasBefore && hasAfter)
            return Interpolate(_poses[before], _poses[after], (time - _times[before]) / (_times[after] - _times[before]));
        if (hasBefore) return _poses[before];
        if (hasAfter) return _poses[after];
        return null;
    }

    private static Se3 Interpolate(Se3 a, Se3 b, double s)
    {
        var rotation = a.Rotation * So3.Exp(s * So3.Log(a.Rotation.Transpose() * b.Rotation));
        return new Se3(rotation, a.Translation + s * (b.Translation - a.Translation));
    }
}
