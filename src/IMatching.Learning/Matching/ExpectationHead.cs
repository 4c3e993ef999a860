using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// CAPS's parameter-free correspondence head. Coarse: a softmax over the correlation of the query's descriptor with
/// every cell of the other image's coarse map; the expected cell position is the estimate and the spread of the
/// distribution its uncertainty. Fine: the same within a window of the fine map centred on the coarse estimate.
/// As in CAPS (without its <c>use_nn</c> option), the window centre is not detached, so a loss on the fine point
/// also trains the coarse level.
/// </summary>
public static class ExpectationHead
{
    /// <summary>Predictions for n queries of image A in image B.</summary>
    /// <param name="queries">n x 2 float32 pixels in A (no gradient).</param>
    /// <param name="a">Features of image A alone.</param>
    /// <param name="b">Features of image B alone.</param>
    /// <returns>Coarse and fine points in B (n x 2 pixels) and the mean of both levels' spreads (n, pixels, the x and y standard deviations summed as CAPS does).</returns>
    public static (Tensor Coarse, Tensor Fine, Tensor Std) Predict(Tensor queries, DenseFeatures a, DenseFeatures b, ExpectationHeadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var scope = NewDisposeScope();
        var (coarse, coarseStd) = Global(queries, a.Coarse, b.Coarse, options.CoarseTemperature);
        var (fine, fineStd) = Windowed(queries, coarse, a.Fine, b.Fine, options);
        return scope.MoveToOuter(coarse, fine, (coarseStd + fineStd).Over(2));
    }

    private static (Tensor Expected, Tensor Std) Global(Tensor queries, FeatureLevel a, FeatureLevel b, double temperature)
    {
        Tensor descriptors = a.Sample(a.ToCells(queries));                        // n x D
        Tensor cells = b.Map[0].reshape(b.Map.shape[1], -1);                       // D x hw
        Tensor probability = functional.softmax(descriptors.matmul(cells).Over(temperature), 1);
        Tensor positions = b.CellPixels();                                         // hw x 2
        Tensor expected = probability.matmul(positions);
        Tensor variance = probability.matmul(positions.square()) - expected.square();
        return (expected, Spread(variance));
    }

    private static (Tensor Expected, Tensor Std) Windowed(Tensor queries, Tensor centres, FeatureLevel a, FeatureLevel b, ExpectationHeadOptions options)
    {
        Tensor descriptors = a.Sample(a.ToCells(queries));                                      // n x D
        Tensor window = b.ToCells(centres).unsqueeze(1) + WindowOffsets(options.WindowSize, queries.device); // n x S² x 2
        // Zero descriptors outside the image, as CAPS's grid_sample padding: they correlate to 0, never to a match.
        Tensor candidates = b.Sample(window, zerosOutside: true);                               // n x S² x D
        Tensor similarity = candidates.matmul(descriptors.unsqueeze(2)).squeeze(2);             // n x S²
        Tensor probability = functional.softmax(similarity.Over(options.FineTemperature), 1).unsqueeze(2);
        Tensor positions = b.ToPixels(window);
        Tensor expected = (probability * positions).sum(1);
        Tensor variance = (probability * positions.square()).sum(1) - expected.square();
        return (expected, Spread(variance));
    }

    private static Tensor Spread(Tensor variance) => variance.AtLeast(1e-10).sqrt().sum(1);

    /// <summary>S x S offsets in cells, symmetric about 0 (half-cell steps off the centre when S is even).</summary>
    private static Tensor WindowOffsets(int size, Device device)
    {
        using Scalar count = size.ToScalar();
        Tensor steps = arange(count, dtype: ScalarType.Float32, device: device).Minus((size - 1) / 2f);
        Tensor[] grid = meshgrid([steps, steps], indexing: "ij");
        return stack([grid[1].reshape(-1), grid[0].reshape(-1)], 1);
    }
}
