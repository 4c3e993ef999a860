using OpenCvSharp;

namespace IMatching.Vision.Matching;

/// <summary>
/// Keypoints and their descriptors (row i describes keypoint i), strongest first. OpenCV's detectors
/// may report keypoints in a thread-dependent order; sorting here makes indices, and so origin ids,
/// the same on every run.
/// </summary>
internal sealed class LocalFeatures : IDisposable
{
    private LocalFeatures(KeyPoint[] keypoints, Mat descriptors) => (Keypoints, Descriptors) = (keypoints, descriptors);

    public KeyPoint[] Keypoints { get; }
    public Mat Descriptors { get; }

    public static LocalFeatures Extract(Feature2D feature2D, Mat grey)
    {
        using var unordered = new Mat();
        feature2D.DetectAndCompute(grey, null, out KeyPoint[] keypoints, unordered);
        if (keypoints.Length == 0) return new LocalFeatures([], new Mat());
        int[] order = Enumerable.Range(0, keypoints.Length)
            .OrderByDescending(i => keypoints[i].Response)
            .ThenBy(i => keypoints[i].Pt.Y).ThenBy(i => keypoints[i].Pt.X)
            .ThenBy(i => keypoints[i].Size).ThenBy(i => keypoints[i].Angle).ThenBy(i => keypoints[i].Octave)
            .ToArray();
        var descriptors = new Mat(keypoints.Length, unordered.Cols, unordered.Type());
        if (unordered.Depth() == MatType.CV_8U) CopyRows<byte>(unordered, descriptors, order);
        else if (unordered.Depth() == MatType.CV_32F) CopyRows<float>(unordered, descriptors, order);
        else throw new NotSupportedException($"Descriptors of type {unordered.Type()} (expected 8U or 32F).");
        return new LocalFeatures(order.Select(i => keypoints[i]).ToArray(), descriptors);
    }

    private static void CopyRows<T>(Mat source, Mat target, int[] order) where T : unmanaged
    {
        MatRowAccessor<T> from = source.AsRows<T>(), to = target.AsRows<T>();
        for (int k = 0; k < order.Length; k++) from[order[k]].CopyTo(to[k]);
    }

    public void Dispose() => Descriptors.Dispose();
}
