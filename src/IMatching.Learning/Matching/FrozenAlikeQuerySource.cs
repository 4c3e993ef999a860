using IMatching.Geometry;
using System.Collections.Concurrent;
using IMatching.Geometry.Linear;
using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// <c>alike-frozen:N</c>: ALIKE keypoints from the official pretrained network of one variant, which training never
/// changes, whatever backbone the matcher trains. The published method takes its queries from a frozen detector for
/// this reason: with queries from the trained backbone's own score map (<c>alike:N</c>), the evaluated points move as
/// the shared backbone learns, and before and after no longer score the same points.
/// </summary>
public sealed class FrozenAlikeQuerySource : IQuerySource
{
    // One immutable detector per variant and device for the whole process: its weights are the shipped files.
    private static readonly ConcurrentDictionary<(AlikeVariant, string), Lazy<AlikeNetwork>> Detectors = new();

    public FrozenAlikeQuerySource(int count, AlikeVariant variant)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (!OfficialAlikeWeights.IsShipped(variant))
            throw new UserInputException("queries 'alike-frozen'", $"no shipped ALIKE weights for {variant} (shipped: {string.Join(", ", OfficialAlikeWeights.Shipped)})");
        (Count, Variant) = (count, variant);
    }

    public int Count { get; }
    public AlikeVariant Variant { get; }
    public string Name => $"alike-frozen:{Count}";
    public bool NeedsScoreMap => false;

    public Vec2[] Find(Tensor image, DenseFeatures features)
    {
        var detector = Detectors.GetOrAdd((Variant, image.device.ToString()),
            key => new Lazy<AlikeNetwork>(() => AlikeNetwork.LoadOfficial(key.Item1, image.device))).Value;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using AlikeDenseMaps maps = detector.ExtractDenseMap(image);
        return AlikeQuerySource.TopKeypoints(maps.Scores, Count);
    }
}
