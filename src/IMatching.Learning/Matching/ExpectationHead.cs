using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// CAPS's parameter-free correspondence head. Coarse: a softmax over the correlation of the query's descriptor with
/// every cell of the other image's coarse map; the expected cell position is the estimate and the spread of the
/// distribution its uncertainty. Fine: the same within an S x S window of the fine map, centred as
/// <see cref="ExpectationHeadOptions.WindowCentre"/> says.
/// </summary>
/// <remarks>
/// The fine level never samples features between cells. Correlation is linear in the features, so correlating a
/// query with a bilinearly sampled feature equals bilinearly interpolating its correlations with the four cells
/// around it. Every sample of a window shares one fractional offset, so the window's S x S interpolated
/// similarities come from correlations with an (S+1) x (S+1) integer crop of cells (an S x S crop when the window
/// sits on the lattice), which <see cref="WindowTable"/> computes on the map in place (float32 on the CPU) or by
/// gathering whole descriptor rows: values and gradients equal those of sampling the window bilinearly, at a
/// fraction of the cost and memory. The coarse level's softmax and moments are one function on float32 CPU tensors
/// (<see cref="CoarseMoments"/>), the tensor formulation elsewhere.
/// </remarks>
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
        ArgumentNullException.ThrowIfNull(b);
        using var scope = NewDisposeScope();
        var (coarse, fine, std, kept) = Predict(QueryDescriptors.Of(queries, a), b.Coarse, new WindowTable(b.Fine, options.WindowSize), options);
        if (kept is not null) scope.MoveToOuter(kept);
        return scope.MoveToOuter(coarse, fine, std);
    }

    /// <summary>
    /// As the public overload, with the per-image work (query descriptors of A, B's window table) done by the caller,
    /// once per image. <c>Kept</c>: what the coarse level keeps for its backward pass (null when none), which the
    /// caller's dispose scope must hold until then; the backward pass frees it.
    /// </summary>
    internal static (Tensor Coarse, Tensor Fine, Tensor Std, Tensor? Kept) Predict(QueryDescriptors queries, FeatureLevel coarseB, WindowTable fineB, ExpectationHeadOptions options)
    {
        using var scope = NewDisposeScope();
        var (coarse, coarseStd, best, kept) = Global(queries.Coarse, coarseB, options.CoarseTemperature);
        Tensor centres = options.WindowCentre == WindowCentre.Attached ? coarse : best;
        var (fine, fineStd) = Windowed(queries.Fine, centres, fineB, options);
        using Scalar two = 2.ToScalar();
        if (kept is not null) scope.MoveToOuter(kept);
        var (outCoarse, outFine, outStd) = scope.MoveToOuter(coarse, fine, coarseStd.Plus(fineStd).div(two));
        return (outCoarse, outFine, outStd, kept);
    }

    /// <returns>The expected position and spread, the position of the best-correlated cell (no gradient), and what the backward pass needs kept (null when none).</returns>
    private static (Tensor Expected, Tensor Std, Tensor Best, Tensor? Kept) Global(Tensor descriptors, FeatureLevel b, double temperature)
    {
        Tensor cells = b.Map[0].reshape(b.Map.shape[1], -1);                                        // D x hw
        Tensor positions = b.CellPixels();                                                          // hw x 2
        if (CoarseMomentsKernels.Serve(descriptors) && CoarseMomentsKernels.Serve(cells))
        {
            var (moments, bestCells, kept) = CoarseMoments.Apply(descriptors, cells, positions, temperature);
            return (moments.narrow(1, 0, 2), Spread(moments.narrow(1, 2, 2)), positions.index_select(0, bestCells), kept);
        }
        using Scalar t = temperature.ToScalar();
        Tensor correlation = descriptors.matmul(cells);                                             // n x hw
        Tensor probability = functional.softmax(correlation.div(t), 1);
        Tensor expected = probability.matmul(positions);
        Tensor variance = probability.matmul(positions.Squared()) - expected.Squared();
        Tensor best = positions.index_select(0, correlation.detach().argmax(1));
        return (expected, Spread(variance), best, null);
    }

    private static (Tensor Expected, Tensor Std) Windowed(Tensor descriptors, Tensor centres, WindowTable table, ExpectationHeadOptions options)
    {
        int size = options.WindowSize;
        FeatureLevel b = table.Level;
        using Scalar half = ((size - 1) / 2.0).ToScalar();
        // The window's first sample, in fine cells: the others follow at whole-cell steps.
        Tensor start = b.ToCells(centres).sub(half);                                                // n x 2
        Tensor similarity, first;
        if (options.WindowCentre == WindowCentre.Attached)
        {
            Tensor origins = start.detach().floor();
            Tensor fraction = start - origins;                                                      // n x 2 in [0, 1), with gradient
            Tensor lattice = table.Correlate(descriptors, origins, size + 1);                       // n x (S+1) x (S+1)
            similarity = Interpolate(lattice, fraction, size);
            first = start;
        }
        else
        {
            first = start.detach().round();
            similarity = table.Correlate(descriptors, first, size);
        }
        using Scalar temperature = options.FineTemperature.ToScalar();
        Tensor probability = functional.softmax(similarity.reshape(similarity.shape[0], size * size).div(temperature), 1);
        // Moments in cells from the window's first sample: small numbers, so the variance E[x²] - E[x]² keeps its
        // precision in float32, where pixel coordinates in the hundreds would cancel it to a few hundredths.
        Tensor steps = LatticeSteps(size, start);                                                   // S² x 2
        Tensor mean = probability.matmul(steps);
        Tensor variance = probability.matmul(steps.Squared()) - mean.Squared();
        Tensor expected = b.ToPixels(first.Plus(mean));
        return (expected, Spread(b.ToPixelLengths(b.ToPixelLengths(variance))));
    }

    /// <summary>Bilinear interpolation of n x (S+1) x (S+1) lattice values at the S x S points offset by the n x 2 (x, y) fractions.</summary>
    private static Tensor Interpolate(Tensor lattice, Tensor fraction, int size)
    {
        long n = lattice.shape[0];
        Tensor fx = fraction.select(1, 0).view(n, 1, 1), fy = fraction.select(1, 1).view(n, 1, 1);
        Tensor gx = ones_like(fx) - fx, gy = ones_like(fy) - fy;
        Tensor top = lattice.narrow(1, 0, size), bottom = lattice.narrow(1, 1, size);
        Tensor Left(Tensor rows) => rows.narrow(2, 0, size);
        Tensor Right(Tensor rows) => rows.narrow(2, 1, size);
        // The weights grid_sample uses: (1-x)(1-y), x(1-y), (1-x)y, xy.
        return (Left(top) * (gx * gy)).Plus(Right(top) * (fx * gy)).Plus(Left(bottom) * (gx * fy)).Plus(Right(bottom) * (fx * fy));
    }

    private static Tensor Spread(Tensor variance)
    {
        using Scalar floor = 1e-10.ToScalar();
        return variance.clamp_min(floor).sqrt().sum(1);
    }

    /// <summary>S² whole-cell steps (x, y), row-major: the window's samples relative to its first one.</summary>
    private static Tensor LatticeSteps(int size, Tensor like)
    {
        Tensor steps = ScalarArithmetic.Arange(size, like.dtype, like.device);
        Tensor[] grid = meshgrid([steps, steps], indexing: "ij");
        return stack([grid[1].reshape(-1), grid[0].reshape(-1)], 1);
    }
}
