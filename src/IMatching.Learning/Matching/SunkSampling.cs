using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// Bilinear samples of a D x h x w map kept beside the graph (see <see cref="MapGradientSink"/>) at n points given in
/// cells, the border repeated outside as <c>grid_sample</c>'s border padding with aligned corners does: n x D. The
/// backward pass adds each sample's gradient into the sink at its four cells instead of <c>grid_sample</c>'s
/// single-threaded scatter into a fresh full-size gradient. Maps beside the graph are float32 in CPU memory, where
/// both passes run plane by plane (<see cref="SunkSamplingKernels"/>).
/// </summary>
internal sealed class SunkSampling : GuardedFunction<SunkSampling>
{
    private const string SlotKey = "slot";
    private const string WidthKey = "width", HeightKey = "height";

    public override string Name => nameof(SunkSampling);

    /// <param name="map">D x h x w, no gradient.</param>
    /// <param name="cells">n x 2 cell coordinates (x, y), no gradient.</param>
    /// <param name="slot">Where the map's gradient goes; its sink's anchor joins the graph here.</param>
    public static Tensor Apply(Tensor map, Tensor cells, MapGradientSink.Slot slot)
    {
        if (!WindowCorrelationKernels.Serve(map) || !WindowCorrelationKernels.Serve(cells))
            throw new ArgumentException($"A map beside the graph and its points must be float32 on the CPU, got {map.dtype} and {cells.dtype} on {map.device}.", nameof(map));
        return apply(map, cells, slot.Sink.LiveAnchor(), slot);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // A missing output gradient arrives as an invalid tensor, not as zeros that TorchSharp would build from an
        // empty tensor it registered in the caller's dispose scope, long freed by the backward pass.
        ctx.set_materialize_grads(false);
        var (map, cells, slot) = ((Tensor)vars[0], (Tensor)vars[1], (MapGradientSink.Slot)vars[3]);
        using var scope = NewDisposeScope();
        // Only the input points are saved: the backward pass finds the corners again from them (a few n-sized
        // operations), where saved corners would stay alive until the graph is freed (TorchSharp keeps saved tensors).
        ctx.save_for_backward([cells]);
        ctx.save_data(SlotKey, slot);
        ctx.save_data(WidthKey, map.shape[2]);
        ctx.save_data(HeightKey, map.shape[1]);
        var (index, weight) = Corners(cells, map.shape[2], map.shape[1]);
        Tensor samples = empty([map.shape[0], cells.shape[0]], dtype: ScalarType.Float32);          // D x n
        SunkSamplingKernels.Gather(map.contiguous(), index, weight, samples, get_num_threads());
        return scope.MoveToOuter(samples.t().contiguous());
    }

    protected override int Arguments => 4;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var slot = (MapGradientSink.Slot)ctx.get_data(SlotKey);
        if (!grad_output.IsInvalid) AddGradient(ctx, grad_output, slot);
        // This backward pass does not read the map; the forward pass is over, so maps no backward pass reads go now.
        slot.Sink.ReaderDone(null);
        // None for the arguments of Apply (map, cells, anchor, slot): the map's gradient went to the sink.
        return NoGradients();
    }

    private static void AddGradient(autograd.AutogradContext ctx, Tensor grad_output, MapGradientSink.Slot slot)
    {
        using var scope = NewDisposeScope();
        var (index, weight) = Corners(ctx.get_saved_variables()[0], (long)ctx.get_data(WidthKey), (long)ctx.get_data(HeightKey));
        Tensor gradient = slot.Gradient();                                                          // D x h x w, contiguous (the sink's)
        Tensor incoming = grad_output.t().contiguous();                                             // D x n
        SunkSamplingKernels.Scatter(gradient, index, weight, incoming, get_num_threads());
    }

    /// <summary>
    /// The four cells around each point (flat indices into h x w, 4 x n) and their bilinear weights (4 x n), in the
    /// order top-left, top-right, bottom-left, bottom-right. The point is first clamped to the map (border padding); a
    /// corner past the last row or column has weight 0 and is clamped too.
    /// </summary>
    private static (Tensor Index, Tensor Weight) Corners(Tensor cells, long width, long height)
    {
        using Scalar zero = 0.ToScalar(), lastX = (width - 1).ToScalar(), lastY = (height - 1).ToScalar(), step = 1L.ToScalar(), rowLength = width.ToScalar();
        Tensor x = cells.select(1, 0).clamp(zero, lastX), y = cells.select(1, 1).clamp(zero, lastY);
        Tensor x0 = x.floor(), y0 = y.floor();
        Tensor fx = x - x0, fy = y - y0;
        Tensor gx = fx.Subtracted(1), gy = fy.Subtracted(1);
        Tensor left = x0.to_type(ScalarType.Int64), top = y0.to_type(ScalarType.Int64);
        Tensor right = left.Plus(step).clamp_max(lastX), bottom = top.Plus(step).clamp_max(lastY);
        Tensor Flat(Tensor row, Tensor column) => row.mul(rowLength).Plus(column);
        return (stack([Flat(top, left), Flat(top, right), Flat(bottom, left), Flat(bottom, right)]).contiguous(),
            stack([gx * gy, fx * gy, gx * fy, fx * fy]).contiguous());
    }
}
