using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A matcher whose predictions carry gradients: the upper level of the bilevel training. Feature maps are computed
/// once per call for every frame the pairs name, so a clip costs one batched forward pass.
/// </summary>
public interface IDifferentiableMatcher : IDisposable
{
    string Name { get; }

    /// <summary>Where the network lives; <see cref="Predict"/> expects its images there.</summary>
    Device Device { get; }

    /// <summary>Every trainable tensor, backbone and head, for the optimiser.</summary>
    IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Switches training behaviour (batch-norm statistics) on or off.</summary>
    void Train(bool on);

    /// <param name="images">The clip's frames, each 1x3xHxW RGB float32 in [0, 1] on <see cref="Device"/>.</param>
    /// <param name="pairs">Indices into <paramref name="images"/>: queries in A, predictions in B.</param>
    IReadOnlyList<PairPredictions> Predict(IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs);
}
