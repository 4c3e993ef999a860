namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// Settings of the differentiable keypoint detection. The defaults are those of the reference demo
/// (radius 2, threshold mode with 0.2, at most 5000 keypoints, sub-pixel refinement on).
/// </summary>
public sealed record DkdOptions
{
    /// <summary>NMS radius and half-size of the soft-argmax window (kernel 2r+1); also the border left empty.</summary>
    public int Radius { get; init; } = 2;

    /// <summary>When positive, keep exactly this many keypoints by NMS score and ignore the threshold.</summary>
    public int TopK { get; init; } = -1;

    /// <summary>Keep NMS maxima scoring above this; when none does (or it is not positive), above the map's mean.</summary>
    public float ScoreThreshold { get; init; } = 0.2f;

    /// <summary>In threshold mode, the best-scoring this many survive when more pass.</summary>
    public int MaxKeypoints { get; init; } = 5000;

    /// <summary>Refine each maximum by a soft-argmax over its window; this is what carries gradients to the positions.</summary>
    public bool SubPixel { get; init; } = true;
}
