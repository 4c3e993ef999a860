using IMatching.Geometry.Linear;
using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>ALIKE keypoints as queries: DKD's top-k maxima of the score map, refined to sub-pixel positions.</summary>
public sealed class AlikeQuerySource : IQuerySource
{
    public AlikeQuerySource(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Count = count;
    }

    public int Count { get; }
    public string Name => $"alike:{Count}";
    public bool NeedsScoreMap => true;

    public Vec2[] Find(Tensor image, DenseFeatures features)
    {
        Tensor scores = features.Scores ?? throw new InvalidOperationException($"Queries '{Name}' need a backbone with a keypoint score map (ALIKE).");
        return TopKeypoints(scores, Count);
    }

    /// <summary>The positions of DKD's <paramref name="count"/> strongest sub-pixel keypoints of a 1x1xHxW score map.</summary>
    internal static Vec2[] TopKeypoints(Tensor scores, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Never more than the map has pixels: top-k refuses a k beyond its input.
        int k = (int)Math.Min(count, scores.shape[2] * scores.shape[3]);
        var options = new DkdOptions { TopK = k };
        float[] xy = DifferentiableKeypointDetector.Positions(scores, options)[0].cpu().data<float>().ToArray();
        return [.. Enumerable.Range(0, xy.Length / 2).Select(i => new Vec2(xy[2 * i], xy[2 * i + 1]))];
    }
}
