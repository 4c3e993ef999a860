using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A backbone's output for a batch of images: a coarse level for the global search, a fine level for the local
/// refinement and, for detectors such as ALIKE, a keypoint score map (Bx1xHxW) that query selection may use.
/// </summary>
public sealed record DenseFeatures(FeatureLevel Coarse, FeatureLevel Fine, Tensor? Scores) : IDisposable
{
    /// <summary>Views of image <paramref name="index"/> of the batch.</summary>
    public DenseFeatures Image(long index) => new(Coarse.Image(index), Fine.Image(index), Scores?.narrow(0, index, 1));

    public void Dispose()
    {
        Coarse.Dispose();
        Fine.Dispose();
        Scores?.Dispose();
    }
}
