using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// One dense descriptor map (BxDxhxw) and how its cells sit in the image: image pixel = cell * scale + offset, per
/// axis. Every head converts through here, so backbones with different conventions (ALIKE's pooled cells, CAPS's
/// align-corners grids) give predictions in the same pixel frame.
/// </summary>
public sealed record FeatureLevel(Tensor Map, double ScaleX, double ScaleY, double OffsetX, double OffsetY) : IDisposable
{
    /// <summary>
    /// Set on a single image's level when <see cref="Map"/> is kept out of the autograd graph and its gradient goes
    /// to a <see cref="MapGradientSink"/>; null when the gradient flows through the graph. Only the head's own readers
    /// (<see cref="Sample"/>, <see cref="WindowTable"/>) read such a map.
    /// </summary>
    internal MapGradientSink.Slot? GradientSlot { get; init; }

    public long Height => Map.shape[2];
    public long Width => Map.shape[3];

    /// <summary>
    /// The same level for each image of the batch (views; the caller owns them). One split for the batch: in the
    /// backward pass the images' gradients are joined once, where a view per image would each build a gradient the
    /// size of the whole batch (five 786 MB maps for a clip at 640x480).
    /// </summary>
    public IReadOnlyList<FeatureLevel> Images() => [.. Map.split(1, 0).Select(map => this with { Map = map })];

    /// <summary>n x 2 image pixels to n x 2 cell coordinates.</summary>
    public Tensor ToCells(Tensor pixels) => (pixels - Offsets(pixels)) / Scales(pixels);

    /// <summary>n x 2 (or any ... x 2) cell coordinates to image pixels.</summary>
    public Tensor ToPixels(Tensor cells) => (cells * Scales(cells)).Plus(Offsets(cells));

    /// <summary>Lengths along x and y (... x 2) in cells to lengths in pixels.</summary>
    public Tensor ToPixelLengths(Tensor cells) => cells * Scales(cells);

    /// <summary>
    /// Bilinear samples of a single-image level at cell coordinates (... x 2): ... x D. Outside the map the border
    /// value is repeated when <paramref name="zerosOutside"/> is false, as for query points near the edge.
    /// </summary>
    public Tensor Sample(Tensor cells, bool zerosOutside = false)
    {
        using var scope = NewDisposeScope();
        long[] outer = cells.shape[..^1];
        if (GradientSlot is { } slot)
        {
            if (zerosOutside) throw new NotSupportedException("Sampling a map beside the graph repeats its border; zeros outside are not offered.");
            Tensor rows = SunkSampling.Apply(Map[0], cells.reshape(cells.numel() / 2, 2), slot);
            return scope.MoveToOuter(rows.reshape([.. outer, Map.shape[1]]));
        }
        // align_corners: -1 and 1 are the centres of the first and last cells (a single cell spans [-1, 1] too).
        Tensor halfExtent = tensor(new double[] { Math.Max(Width - 1, 1) / 2.0, Math.Max(Height - 1, 1) / 2.0 }, dtype: cells.dtype, device: cells.device);
        using Scalar one = 1.ToScalar();
        // An explicit count, not -1: with no points the reshape would be ambiguous.
        Tensor normalised = cells.reshape(1, 1, cells.numel() / 2, 2).div(halfExtent).sub(one);
        Tensor sampled = functional.grid_sample(Map, normalised, GridSampleMode.Bilinear,
            zerosOutside ? GridSamplePaddingMode.Zeros : GridSamplePaddingMode.Border, align_corners: true);
        Tensor sampledRows = sampled[0, .., 0].t();
        return scope.MoveToOuter(sampledRows.reshape([.. outer, Map.shape[1]]));
    }

    /// <summary>Image pixels of every cell centre, row-major: (h*w) x 2.</summary>
    public Tensor CellPixels()
    {
        using var scope = NewDisposeScope();
        Tensor xs = ScalarArithmetic.Arange(Width, Map.dtype, Map.device);
        Tensor ys = ScalarArithmetic.Arange(Height, Map.dtype, Map.device);
        Tensor[] grid = meshgrid([ys, xs], indexing: "ij");
        return scope.MoveToOuter(ToPixels(stack([grid[1].reshape(-1), grid[0].reshape(-1)], 1)));
    }

    private Tensor Scales(Tensor like) => tensor(new[] { ScaleX, ScaleY }, dtype: like.dtype, device: like.device);
    private Tensor Offsets(Tensor like) => tensor(new[] { OffsetX, OffsetY }, dtype: like.dtype, device: like.device);

    public void Dispose() => Map.Dispose();
}
