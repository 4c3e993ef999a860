using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// ALIKE's differentiable keypoint detection (DKD): selects maxima of the score map (<see cref="KeypointSelector"/>),
/// refines each by a soft-argmax over its (2r+1)^2 window and samples scores and descriptors there, so that
/// positions, scores and descriptors all carry gradients back to the maps.
/// </summary>
public static class DifferentiableKeypointDetector
{
    /// <summary>Softmax temperature of the soft-argmax, as tuned by the ALIKE authors.</summary>
    public const float Temperature = 0.1f;

    /// <summary>Keypoints of every image of a batch.</summary>
    /// <param name="scoresMap">Bx1xHxW scores in (0,1).</param>
    /// <param name="descriptorMap">BxDxHxW descriptors (normalised per pixel).</param>
    /// <param name="options">Detection settings.</param>
    public static IReadOnlyList<AlikeKeypoints> Detect(Tensor scoresMap, Tensor descriptorMap, DkdOptions options)
    {
        ArgumentNullException.ThrowIfNull(scoresMap);
        ArgumentNullException.ThrowIfNull(descriptorMap);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        return ForEachImage(scoresMap, options, (b, indices) => (options.SubPixel
            ? Refined(scoresMap[b], descriptorMap[b], indices, options.Radius)
            : AtPixels(scoresMap[b], descriptorMap[b], indices)).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The positions <see cref="Detect"/> gives (N x 2 pixels per image, the same values), without sampling scores and
    /// descriptors there: what query selection needs.
    /// </summary>
    public static IReadOnlyList<Tensor> Positions(Tensor scoresMap, DkdOptions options)
    {
        ArgumentNullException.ThrowIfNull(scoresMap);
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        return ForEachImage(scoresMap, options, (b, indices) => Normalise(options.SubPixel
            ? SoftArgmax(scoresMap[b], indices, options.Radius).Pixels
            : PixelsOf(indices, scoresMap.shape[3]), scoresMap[b]).Pixels.MoveToOuterDisposeScope());
    }

    /// <summary>Each image's selected pixels (M flat indices), handed with the image's index to <paramref name="perImage"/>.</summary>
    private static T[] ForEachImage<T>(Tensor scoresMap, DkdOptions options, Func<int, Tensor, T> perImage)
    {
        if (scoresMap.dim() != 4 || scoresMap.shape[1] != 1)
            throw new ArgumentException($"Expected a Bx1xHxW score map, got [{string.Join(", ", scoresMap.shape)}].", nameof(scoresMap));
        Tensor[] selected = KeypointSelector.Select(scoresMap, options);
        return [.. selected.Select((indices, b) => perImage(b, indices))];
    }

    /// <param name="scores">1xHxW.</param>
    /// <param name="descriptors">DxHxW.</param>
    /// <param name="indices">M flat pixel indices.</param>
    private static AlikeKeypoints Refined(Tensor scores, Tensor descriptors, Tensor indices, int radius)
    {
        var (pixels, dispersity) = SoftArgmax(scores, indices, radius);
        var (normalised, positions) = Normalise(pixels, scores);
        Tensor sampled = Sample(descriptors, normalised);                               // D x M
        return new AlikeKeypoints(positions, Sample(scores, normalised)[0], Unit(sampled), dispersity);
    }

    /// <summary>Each selected pixel moved by the soft-argmax of the scores in its window (M x 2 pixels), and the scores' dispersity there.</summary>
    private static (Tensor Pixels, Tensor Dispersity) SoftArgmax(Tensor scores, Tensor indices, int radius)
    {
        Tensor windows = Windows(scores, indices, radius);                              // M x (2r+1)^2
        // The maximum is detached, as in the reference, so the shift that keeps exp() finite adds no gradient path.
        Tensor max = windows.max(1).values.detach().unsqueeze(1);
        Tensor weights = (windows - max).Over(Temperature).exp();
        Tensor weightSum = weights.sum(1, keepdim: true);

        Tensor offsets = WindowOffsets(radius, scores.device);                         // (2r+1)^2 x 2, (dx, dy)
        Tensor residual = weights.matmul(offsets) / weightSum;                          // M x 2
        Tensor spread = (offsets.unsqueeze(0) - residual.unsqueeze(1)).Over(radius).Squared().sum(-1);
        Tensor dispersity = (weights * spread).sum(1) / weightSum.squeeze(1);
        return (PixelsOf(indices, scores.shape[2]).Plus(residual), dispersity);
    }

    /// <summary>
    /// The (2r+1)^2 scores around each of the M pixels (1xHxW map, flat indices), rows over dy then dx, 0 outside the
    /// map: the reference's unfold of the whole map, read at the selected pixels only.
    /// </summary>
    private static Tensor Windows(Tensor scores, Tensor indices, int radius)
    {
        using var scope = NewDisposeScope();
        long width = scores.shape[2], paddedWidth = width + 2 * radius;
        int size = 2 * radius + 1;
        Tensor padded = functional.pad(scores, [radius, radius, radius, radius]).reshape(-1);
        using Scalar w = width.ToScalar(), pw = paddedWidth.ToScalar();
        // A pixel's window starts r rows and columns before it, which is the pixel's own place in the padded map.
        Tensor first = indices.div(w, rounding_mode: RoundingMode.floor).mul(pw).Plus(indices.remainder(w));
        Tensor steps = ScalarArithmetic.Arange(size, ScalarType.Int64, scores.device);
        Tensor offsets = steps.view(size, 1).mul(pw).Plus(steps.view(1, size)).reshape(1, -1);
        Tensor index = first.view(-1, 1).Plus(offsets);
        return scope.MoveToOuter(padded.index_select(0, index.reshape(-1)).view(index.shape));
    }

    private static AlikeKeypoints AtPixels(Tensor scores, Tensor descriptors, Tensor indices)
    {
        var (normalised, positions) = Normalise(PixelsOf(indices, scores.shape[2]), scores);
        // Integer positions: read the descriptor at its pixel rather than interpolating (the reference's bilinear_interp=False).
        Tensor picked = descriptors.reshape(descriptors.shape[0], -1).index_select(1, indices);
        return new AlikeKeypoints(positions, Sample(scores, normalised)[0], Unit(picked), null);
    }

    private static Tensor PixelsOf(Tensor indices, long width)
    {
        using Scalar w = width.ToScalar();
        return stack([indices.remainder(w), indices.div(w, rounding_mode: RoundingMode.floor)], 1).to_type(ScalarType.Float32);
    }

    // grid_sample wants [-1, 1] with align_corners: the reference maps pixels there and back in the same float
    // arithmetic, so the returned pixels repeat it (they differ from the inputs by rounding only).
    private static (Tensor Normalised, Tensor Pixels) Normalise(Tensor pixels, Tensor map)
    {
        using Tensor extent = tensor(new float[] { map.shape[2] - 1, map.shape[1] - 1 }, device: map.device);
        Tensor normalised = (pixels / extent).Times(2).Minus(1);
        return (normalised, normalised.Plus(1).Over(2) * extent);
    }

    /// <summary>Bilinear samples (align_corners) of a CxHxW map at M normalised points: CxM.</summary>
    private static Tensor Sample(Tensor map, Tensor normalised) =>
        functional.grid_sample(map.unsqueeze(0), normalised.view(1, 1, -1, 2), GridSampleMode.Bilinear, align_corners: true)[0].select(1, 0);

    private static Tensor Unit(Tensor columns) => functional.normalize(columns, p: 2, dim: 0).t();

    /// <summary>Window offsets in unfold order (row-major over dy, then dx), as (dx, dy).</summary>
    private static Tensor WindowOffsets(int radius, Device device)
    {
        int size = 2 * radius + 1;
        var offsets = new float[size * size * 2];
        for (int k = 0; k < size * size; k++)
        {
            offsets[2 * k] = k % size - radius;
            offsets[2 * k + 1] = k / size - radius;
        }
        return tensor(offsets, [size * size, 2], device: device);
    }
}
