using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// A backbone's output for a batch of images: a coarse level for the global search, a fine level for the local
/// refinement and, for detectors such as ALIKE, a keypoint score map (Bx1xHxW) that query selection may use.
/// </summary>
public sealed record DenseFeatures(FeatureLevel Coarse, FeatureLevel Fine, Tensor? Scores) : IDisposable
{
    /// <summary>Views of each image of the batch (see <see cref="FeatureLevel.Images"/> for why one split).</summary>
    public IReadOnlyList<DenseFeatures> Images()
    {
        var coarse = Coarse.Images();
        var fine = Fine.Images();
        Tensor[]? scores = Scores?.split(1, 0);
        return [.. Enumerable.Range(0, coarse.Count).Select(i => new DenseFeatures(coarse[i], fine[i], scores?[i]))];
    }

    public void Dispose()
    {
        Coarse.Dispose();
        Fine.Dispose();
        Scores?.Dispose();
    }
}
