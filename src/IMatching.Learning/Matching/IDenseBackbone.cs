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
}
