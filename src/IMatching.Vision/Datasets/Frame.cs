using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;

namespace IMatching.Vision.Datasets;

/// <summary>
/// One image of a sequence with what the dataset knows about it. Poses are <c>cameraFromWorld</c>
/// (T_cw) whatever the file on disk used; depth maps are in metres once scaled by
/// <see cref="DepthScale"/> (value / DepthScale). Read the image with <see cref="FrameImageLoader"/>: video frames
/// have no file of their own.
/// </summary>
public sealed record Frame(
    int Index,
    double TimestampSeconds,
    string ImagePath,
    PinholeCamera Camera,
    Se3? GroundTruthCameraFromWorld = null,
    string? DepthPath = null,
    double DepthScale = 1)
{
    /// <summary>
    /// The frame's index in the whole dataset sequence: equals <see cref="Index"/> unless a frame range
    /// (<c>#FIRST-LAST</c>) re-indexed the selection from 0.
    /// </summary>
    public int SourceIndex { get; init; } = Index;
}
