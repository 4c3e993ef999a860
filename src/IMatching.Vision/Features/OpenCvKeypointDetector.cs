using IMatching.Geometry.Linear;
using OpenCvSharp;
using OpenCvSharp.Features2D;

namespace IMatching.Vision.Features;

/// <summary>Query points from one of OpenCV's detectors (SIFT, ORB or FAST), then <see cref="KeypointSelection"/>.</summary>
public sealed class OpenCvKeypointDetector : IKeypointDetector
{
    /// <summary>FAST's intensity step (of 255): OpenCV's default, half of ORB's 20, so low-contrast regions still get corners.</summary>
    private const int FastThreshold = 10;

    /// <summary>
    /// ORB keeps only its budget's strongest corners, which a few busy regions can fill; a budget
    /// no image reaches hands all of them to the margin, dedup and bucket selection.
    /// </summary>
    private const int OrbUnlimited = 1_000_000;

    private readonly KeypointDetectorKind _kind;

    public OpenCvKeypointDetector(KeypointDetectorKind kind, KeypointSelectionOptions options)
    {
        if (kind is not (KeypointDetectorKind.Sift or KeypointDetectorKind.Orb or KeypointDetectorKind.Fast))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "OpenCV detects SIFT, ORB or FAST points.");
        _kind = kind;
        Options = options;
    }

    public KeypointSelectionOptions Options { get; }

    public string Name => $"{_kind.ToString().ToLowerInvariant()}:{Options.MaxCount}";

    public DetectedKeypoints Detect(Mat image)
    {
        using Mat grey = GreyImage.From(image);
        using Feature2D detector = CreateDetector();
        KeyPoint[] keypoints = detector.Detect(grey);
        return KeypointSelection.Select(
            keypoints.Select(k => new Vec2(k.Pt.X, k.Pt.Y)).ToArray(),
            keypoints.Select(k => (double)k.Response).ToArray(),
            grey.Width, grey.Height, Options);
    }

    private Feature2D CreateDetector() => _kind switch
    {
        // nfeatures = 0: SIFT finds every extremum anyway and only trims at the end, so keeping all costs nothing.
        KeypointDetectorKind.Sift => SIFT.Create(nFeatures: 0),
        KeypointDetectorKind.Orb => ORB.Create(nFeatures: OrbUnlimited),
        _ => FastFeatureDetector.Create(FastThreshold, nonmaxSuppression: true),
    };
}
