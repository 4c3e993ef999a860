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

    /// <summary>
    /// Beside the graph when the frames are recomputed one at a time and the maps (of the images' type and device)
    /// are float32 on the CPU, where the window kernels read them; otherwise as <see cref="Extract"/>.
    /// </summary>
    IReadOnlyList<DenseFeatures> IDenseBackbone.ExtractForSinkReaders(Tensor images) =>
        FrameByFrameRecompute.ShouldApply(Network, images) && WindowCorrelationKernels.Serve(images) ? ExtractBesideGraph(images) : Extract(images).Images();

    public DenseFeatures Extract(Tensor images)
    {
        using var scope = NewDisposeScope();
        // Training with stored batch-norm statistics: a clip's full-resolution activations would fill memory (and
        // fresh pages cost more than the extra forward), so frames are recomputed one at a time in the backward pass.
        AlikeDenseMaps maps = FrameByFrameRecompute.ShouldApply(Network, images)
            ? Split(FrameByFrameRecompute.Apply(frame => Joined(Network.ExtractDenseMap(frame)), images))
            : Network.ExtractDenseMap(images);
        var features = new DenseFeatures(
            CoarseLevel(Coarse(maps.Descriptors).MoveToOuterDisposeScope()),
            new FeatureLevel(maps.Descriptors.MoveToOuterDisposeScope(), 1, 1, 0, 0),
            maps.Scores.MoveToOuterDisposeScope());
        return features;
    }

    /// <summary>
    /// Frame by frame as above, with only the coarse level in the graph: each frame's full-resolution scores and
    /// descriptors stay beside it and their gradient comes from a <see cref="MapGradientSink"/> (see there for the
    /// memory this saves), and the head runs over bands of rows (<see cref="AlikeRowBands"/>). Each frame's coarse
    /// level is pooled from its own descriptors, which lie contiguous in memory; the clip's channel slice of batched
    /// maps does not, and pooling it would first copy all of it.
    /// </summary>
    private IReadOnlyList<DenseFeatures> ExtractBesideGraph(Tensor images)
    {
        using var scope = NewDisposeScope();
        var sink = new MapGradientSink();
        // The scores only choose queries: they take no gradient, and stay apart from the descriptors.
        Tensor coarse = FrameByFrameRecompute.Apply(new AlikeRowBands(Network, PoolFactor, Coarse), images, sink);
        // The readers take the anchor while the caller predicts: it lives in the caller's scope.
        sink.Anchor = coarse.MoveToOuterDisposeScope();
        // The recomputation made the maps outside any dispose scope: they join the caller's (see MapGradientSink.Maps).
        IDisposable[] made = sink.Handles;
        scope.Attach(made);
        scope.MoveToOuter(made);
        var coarseLevels = CoarseLevel(coarse).Images();
        var features = new DenseFeatures[images.shape[0]];
        // The features get handles of their own (aliases): whoever disposes them leaves the sink's alone.
        for (int i = 0; i < features.Length; i++)
            features[i] = new DenseFeatures(coarseLevels[i],
                new FeatureLevel(sink.Map(i).alias(), 1, 1, 0, 0) { GradientSlot = new MapGradientSink.Slot(sink, i) },
                sink.Unattached[i].alias());
        foreach (var f in features) scope.MoveToOuter(f.Coarse.Map, f.Fine.Map, f.Scores!);
        return features;
    }

    private Tensor Coarse(Tensor descriptors) => functional.normalize(functional.avg_pool2d(descriptors, PoolFactor, stride: PoolFactor), p: 2, dim: 1);

    /// <summary>A pooled cell covers pixels [f*j, f*j + f - 1]; its centre is f*j + (f - 1) / 2.</summary>
    private FeatureLevel CoarseLevel(Tensor coarse)
    {
        double centre = (PoolFactor - 1) / 2.0;
        return new FeatureLevel(coarse, PoolFactor, PoolFactor, centre, centre);
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
