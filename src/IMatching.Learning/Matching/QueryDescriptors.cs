using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// One image's query points and their descriptors at both levels (bilinear, border padding), sampled once however
/// many pairs use that image as reference.
/// </summary>
internal sealed record QueryDescriptors(Tensor Pixels, Tensor Coarse, Tensor Fine)
{
    /// <param name="pixels">n x 2 pixels in the image (no gradient).</param>
    /// <param name="features">The image's own features.</param>
    public static QueryDescriptors Of(Tensor pixels, DenseFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return new(pixels, features.Coarse.Sample(features.Coarse.ToCells(pixels)), features.Fine.Sample(features.Fine.ToCells(pixels)));
    }

    /// <summary>The queries of several images one after the other (one of them: itself).</summary>
    public static QueryDescriptors Stack(IReadOnlyList<QueryDescriptors> parts) =>
        parts.Count == 1 ? parts[0] : new(cat([.. parts.Select(p => p.Pixels)], 0), cat([.. parts.Select(p => p.Coarse)], 0), cat([.. parts.Select(p => p.Fine)], 0));
}
