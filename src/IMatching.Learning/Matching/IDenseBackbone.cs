using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>A network that turns images into dense descriptor maps at two resolutions.</summary>
public interface IDenseBackbone : IDisposable
{
    string Name { get; }
    Device Device { get; }
    IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The network itself, with the parameter names of its published release.</summary>
    nn.Module Network { get; }

    void Train(bool on);

    /// <param name="images">Bx3xHxW RGB float32 in [0, 1].</param>
    DenseFeatures Extract(Tensor images);

    /// <summary>
    /// Each image's features as <see cref="Extract(Tensor)"/> and <see cref="DenseFeatures.Images"/> give them, for a
    /// caller whose only readers of the fine level honour <see cref="FeatureLevel.GradientSlot"/>: the backbone may
    /// then keep the fine maps out of the autograd graph and take their gradient from a <see cref="MapGradientSink"/>,
    /// which saves memory.
    /// </summary>
    internal IReadOnlyList<DenseFeatures> ExtractForSinkReaders(Tensor images) => Extract(images).Images();
}
