using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>A network that turns images into dense descriptor maps at two resolutions.</summary>
public interface IDenseBackbone : IDisposable
{
    string Name { get; }
    Device Device { get; }
    IReadOnlyList<Tensor> Parameters { get; }
    void Train(bool on);

    /// <param name="images">Bx3xHxW RGB float32 in [0, 1].</param>
    DenseFeatures Extract(Tensor images);
}
