namespace IMatching.Vision.Features;

/// <summary>
/// How detected points are kept: at most <see cref="MaxCount"/>, none closer than
/// <see cref="BorderMarginPx"/> to the image border (so patches around them stay inside the image),
/// optionally spread by <see cref="Buckets"/>.
/// </summary>
public sealed record KeypointSelectionOptions
{
    public KeypointSelectionOptions(int maxCount, int borderMarginPx = DefaultBorderMarginPx, Buckets? buckets = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentOutOfRangeException.ThrowIfNegative(borderMarginPx);
        (MaxCount, BorderMarginPx, Buckets) = (maxCount, borderMarginPx, buckets);
    }

    /// <summary>Half of a 16 px patch, the smallest support the matchers look at.</summary>
    public const int DefaultBorderMarginPx = 8;

    public int MaxCount { get; }
    public int BorderMarginPx { get; }
    public Buckets? Buckets { get; }
}
