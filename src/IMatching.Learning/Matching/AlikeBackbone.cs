using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// ALIKE as a two-level backbone: the fine level is its full-resolution descriptor map, the coarse level the same
/// map average-pooled over <see cref="PoolFactor"/> x <see cref="PoolFactor"/> cells and re-normalised. ALIKE has
/// no coarse head of its own; pooling gives the global search a map small enough to correlate with every query.
/// </summary>
public sealed class AlikeBackbone : IDenseBackbone
{
    public const int DefaultPoolFactor = 8;

    public AlikeBackbone(AlikeNetwork network, int poolFactor = DefaultPoolFactor)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(poolFactor);
        Network = network;
        PoolFactor = poolFactor;
    }

    public AlikeNetwork Network { get; }
    public int PoolFactor { get; }
    public string Name => Network.Config.Name;
    public Device Device => Network.parameters().First().device;
    public IReadOnlyList<Tensor> Parameters => [.. Network.parameters()];

    nn.Module IDenseBackbone.Network => Network;

    public void Train(bool on) => Network.train(on);

    public DenseFeatures Extract(Tensor images)
    {
        using var scope = NewDisposeScope();
        // Training with stored batch-norm statistics: a clip's full-resolution activations would fill memory (and
        // fresh pages cost more than the extra forward), so frames are recomputed one at a time in the backward pass.
        AlikeDenseMaps maps = FrameByFrameRecompute.ShouldApply(Network, images)
            ? Split(FrameByFrameRecompute.Apply(frame => Joined(Network.ExtractDenseMap(frame)), images))
            : Network.ExtractDenseMap(images);
        Tensor pooled = functional.avg_pool2d(maps.Descriptors, PoolFactor, stride: PoolFactor);
        Tensor coarse = functional.normalize(pooled, p: 2, dim: 1);
        // A pooled cell covers pixels [f*j, f*j + f - 1]; its centre is f*j + (f - 1) / 2.
        double centre = (PoolFactor - 1) / 2.0;
        var features = new DenseFeatures(
            new FeatureLevel(coarse.MoveToOuterDisposeScope(), PoolFactor, PoolFactor, centre, centre),
            new FeatureLevel(maps.Descriptors.MoveToOuterDisposeScope(), 1, 1, 0, 0),
            maps.Scores.MoveToOuterDisposeScope());
        return features;
    }

    /// <summary>Scores and descriptors as one B x (1 + D) x H x W tensor, for <see cref="FrameByFrameRecompute"/>.</summary>
    private static Tensor Joined(AlikeDenseMaps maps) => cat([maps.Scores, maps.Descriptors], 1);

    /// <summary>One split, not two narrows: the backward pass then builds the joined gradient once, not once per part.</summary>
    private static AlikeDenseMaps Split(Tensor joined)
    {
        Tensor[] parts = joined.split([1, joined.shape[1] - 1], 1);
        return new(parts[0], parts[1]);
    }

    public void Dispose() => Network.Dispose();
}
