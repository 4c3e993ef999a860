using IMatching.Learning.Matching;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// The expectation head as first written (CAPS's own formulation), kept here only as the oracle the fast head must
/// equal: every one of the S x S window samples is a D-vector sampled bilinearly with grid_sample (zeros outside the
/// map), then correlated with the query.
/// </summary>
internal static class ExpectationHeadOracle
{
    public static (Tensor Coarse, Tensor Fine, Tensor Std) Predict(Tensor queries, DenseFeatures a, DenseFeatures b, ExpectationHeadOptions options)
    {
        using var scope = NewDisposeScope();
        var (coarse, coarseStd, best) = Global(queries, a.Coarse, b.Coarse, options.CoarseTemperature);
        var (fine, fineStd) = Windowed(queries, options.WindowCentre == WindowCentre.Attached ? coarse : best, a.Fine, b.Fine, options);
        using Scalar two = 2.ToScalar();
        return scope.MoveToOuter(coarse, fine, coarseStd.add(fineStd).div(two));
    }

    private static (Tensor Expected, Tensor Std, Tensor Best) Global(Tensor queries, FeatureLevel a, FeatureLevel b, double temperature)
    {
        using Scalar t = temperature.ToScalar();
        Tensor descriptors = a.Sample(a.ToCells(queries));
        Tensor cells = b.Map[0].reshape(b.Map.shape[1], -1);
        Tensor correlation = descriptors.matmul(cells);
        Tensor probability = functional.softmax(correlation.div(t), 1);
        Tensor positions = b.CellPixels();
        Tensor expected = probability.matmul(positions);
        Tensor variance = probability.matmul(positions.square()) - expected.square();
        return (expected, Spread(variance), positions.index_select(0, correlation.detach().argmax(1)));
    }

    private static (Tensor Expected, Tensor Std) Windowed(Tensor queries, Tensor centres, FeatureLevel a, FeatureLevel b, ExpectationHeadOptions options)
    {
        Tensor descriptors = a.Sample(a.ToCells(queries));
        Tensor offsets = Offsets(options.WindowSize, centres);
        Tensor window = options.WindowCentre == WindowCentre.Attached
            ? b.ToCells(centres).unsqueeze(1) + offsets
            // On the lattice: the first sample rounded to a whole cell, detached.
            : (b.ToCells(centres).detach() + offsets[0]).round().unsqueeze(1) + offsets - offsets[0];
        Tensor candidates = b.Sample(window, zerosOutside: true);                              // n x S² x D
        Tensor similarity = candidates.matmul(descriptors.unsqueeze(2)).squeeze(2);
        using Scalar t = options.FineTemperature.ToScalar();
        Tensor probability = functional.softmax(similarity.div(t), 1).unsqueeze(2);
        Tensor positions = b.ToPixels(window);
        Tensor expected = (probability * positions).sum(1);
        Tensor variance = (probability * positions.square()).sum(1) - expected.square();
        return (expected, Spread(variance));
    }

    private static Tensor Spread(Tensor variance)
    {
        using Scalar floor = 1e-10.ToScalar();
        return variance.clamp_min(floor).sqrt().sum(1);
    }

    /// <summary>S x S offsets in cells, symmetric about 0, row-major (x, y).</summary>
    private static Tensor Offsets(int size, Tensor like)
    {
        using Scalar half = ((size - 1) / 2.0).ToScalar();
        using Scalar count = size.ToScalar();
        Tensor steps = arange(count, dtype: like.dtype, device: like.device).sub(half);
        Tensor[] grid = meshgrid([steps, steps], indexing: "ij");
        return stack([grid[1].reshape(-1), grid[0].reshape(-1)], 1);
    }
}
