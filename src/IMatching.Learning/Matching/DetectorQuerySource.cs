using IMatching.Geometry.Linear;
using IMatching.Vision.Features;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>Queries from one of Vision's classical detectors (<c>sift:N</c>, <c>orb:N</c>, <c>fast:N</c>, <c>grid:S</c>), as CAPS uses SIFT.</summary>
public sealed class DetectorQuerySource(KeypointDetectorSpec spec) : IQuerySource
{
    private readonly IKeypointDetector _detector = (spec ?? throw new ArgumentNullException(nameof(spec))).CreateDetector();

    public string Name => spec.ToString();
    public bool NeedsScoreMap => false;

    public Vec2[] Find(Tensor image, DenseFeatures features)
    {
        using Mat bgr = ImageTensor.ToBgr(image);
        return _detector.Detect(bgr).Points;
    }
}
