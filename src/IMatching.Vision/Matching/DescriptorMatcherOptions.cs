namespace IMatching.Vision.Matching;

/// <summary>
/// Settings shared by the descriptor matchers. <see cref="MaxFeatures"/>: strongest keypoints
/// described per image. <see cref="Ratio"/>: Lowe's test keeps a match only if its descriptor
/// distance is below Ratio times the second-best distance; null turns the test off.
/// <see cref="MutualCheck"/>: keep a match only if A's point is also B's point's nearest neighbour.
/// </summary>
public sealed record DescriptorMatcherOptions
{
    public DescriptorMatcherOptions(int maxFeatures = 4000, double? ratio = 0.8, bool mutualCheck = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFeatures);
        if (ratio is { } r && !(r > 0 && r <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), r, "The ratio must lie in (0, 1].");
        (MaxFeatures, Ratio, MutualCheck) = (maxFeatures, ratio, mutualCheck);
    }

    public int MaxFeatures { get; }
    public double? Ratio { get; }
    public bool MutualCheck { get; }
}
