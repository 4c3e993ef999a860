using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// A single-image fine level prepared for window correlation, once per image however many pairs correlate with it.
/// Float32 maps in CPU memory are correlated where they lie (<see cref="MapWindowCorrelation"/>). Other maps (CUDA,
/// float64) are laid out as one D-row per cell (h x w x D, so a gathered candidate is a contiguous row) with a
/// border of zero rows wide enough for any window around a point of the map, which gives the zero-outside-the-image
/// semantics of CAPS's <c>grid_sample</c> padding without a bounds test (<see cref="WindowCorrelation"/>). Either
/// way the gradient flows back to the map.
/// </summary>
internal sealed class WindowTable
{
    /// <summary>The padded rows, (h + 2P) * (w + 2P) x D row-major; null when the kernels correlate on the map.</summary>
    private readonly Tensor? _rows;

    public WindowTable(FeatureLevel level, int windowSize)
    {
        ArgumentNullException.ThrowIfNull(level);
        if (level.Map.shape[0] != 1) throw new ArgumentException($"Expected a single-image level, got a batch of {level.Map.shape[0]}.", nameof(level));
        Level = level;
        // A window of S cells centred anywhere on the map reaches S/2 cells past its edge, one more when interpolated.
        Padding = windowSize / 2 + 1;
        if (WindowCorrelationKernels.Serve(level.Map)) return;
        if (level.GradientSlot is not null) throw new ArgumentException("A map beside the graph must be float32 on the CPU, where the kernels correlate it.", nameof(level));
        using var scope = NewDisposeScope();
        Tensor cells = level.Map[0].permute(1, 2, 0);                                              // h x w x D
        Tensor padded = functional.pad(cells, [0, 0, Padding, Padding, Padding, Padding]);
        _rows = scope.MoveToOuter(padded.reshape(-1, level.Map.shape[1]).contiguous());
    }

    public FeatureLevel Level { get; }

    public int Padding { get; }

    private long PaddedWidth => Level.Width + 2 * Padding;
    private long PaddedHeight => Level.Height + 2 * Padding;

    /// <summary>
    /// Correlation of each descriptor with the size x size integer lattice of cells whose first cell is
    /// <paramref name="origins"/> (n x 2 whole cell coordinates x, y, no gradient): n x size x size, rows along y.
    /// Cells outside the map correlate to 0. An origin beyond the padding (no window around a point of the map
    /// starts there) is moved inside it, so a non-finite estimate cannot index out of the map.
    /// </summary>
    public Tensor Correlate(Tensor descriptors, Tensor origins, int size)
    {
        using var scope = NewDisposeScope();
        long n = origins.shape[0];
        using Scalar padding = Padding.ToScalar();
        using Scalar low = 0.ToScalar();
        using Scalar highX = (PaddedWidth - size).ToScalar();
        using Scalar highY = (PaddedHeight - size).ToScalar();
        // Whole cells in the padded frame, clamped so that the window lies inside the padded map.
        Tensor whole = origins.detach().nan_to_num(0, 0, 0).to_type(ScalarType.Int64).Plus(padding);
        Tensor x = whole.select(1, 0).clamp(low, highX).view(n, 1, 1);
        Tensor y = whole.select(1, 1).clamp(low, highY).view(n, 1, 1);
        if (_rows is null)
        {
            if (!WindowCorrelationKernels.Serve(descriptors))
                throw new ArgumentException($"Descriptors ({descriptors.dtype} on {descriptors.device}) must match the map (float32 on the CPU).", nameof(descriptors));
            Tensor first = cat([x.view(n, 1), y.view(n, 1)], 1).sub(padding);
            return scope.MoveToOuter(MapWindowCorrelation.Apply(descriptors, Level.Map[0], first, size, Level.GradientSlot));
        }
        using Scalar width = PaddedWidth.ToScalar();
        Tensor steps = ScalarArithmetic.Arange(size, ScalarType.Int64, origins.device);
        Tensor index = y.Plus(steps.view(1, size, 1)).mul(width).Plus(x).Plus(steps.view(1, 1, size));
        Tensor correlation = WindowCorrelation.Apply(descriptors, _rows, index.reshape(n, size * size));
        return scope.MoveToOuter(correlation.view(n, size, size));
    }
}
