using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;

namespace IMatching.Vision.Evaluation;

/// <summary>
/// Two images to match and the ground truth that judges the result: a homography (homography sets) or the
/// two frames with whatever poses and depth their dataset has. <see cref="Label"/> names the pair by source
/// indices, e.g. <c>1-2</c> for a homography set, <c>12-15</c> for a sequence.
/// </summary>
public sealed record EvaluationPair(string Dataset, string Label, string ImagePathA, string ImagePathB, int IndexA, int IndexB)
{
    /// <summary>Maps A's pixels to B's.</summary>
    public Mat3? Homography { get; init; }
    public Frame? FrameA { get; init; }
    public Frame? FrameB { get; init; }

    public Se3? BFromA => FrameA?.GroundTruthCameraFromWorld is { } aFromWorld && FrameB?.GroundTruthCameraFromWorld is { } bFromWorld
        ? bFromWorld.Compose(aFromWorld.Inverse())
        : null;
}
