using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// out[i, y, x] = ⟨queries[i], map[:, y0 + y, x0 + x]⟩ for S x S windows at integer origins, 0 outside the map: the
/// fine window's correlations as an autograd function over the map itself, for float32 maps in CPU memory
/// (<see cref="WindowCorrelationKernels"/>). Nothing is kept for the backward pass but the inputs.
/// </summary>
internal sealed class MapWindowCorrelation : GuardedFunction<MapWindowCorrelation>
{
    private const string SizeKey = "size";
    private const string QueriesNeedGradient = "queries";
    private const string MapNeedsGradient = "map";
    private const string SlotKey = "slot";

    public override string Name => nameof(MapWindowCorrelation);

    /// <param name="queries">n x D.</param>
    /// <param name="map">D x h x w.</param>
    /// <param name="origins">n x 2 int64 (x0, y0), within S cells of the map; no gradient.</param>
    /// <param name="size">S.</param>
    /// <param name="slot">Set when the map is kept beside the graph: its gradient is added to the sink (and the sink's
    /// anchor joins the graph here), none is returned.</param>
    /// <returns>n x S x S.</returns>
    public static Tensor Apply(Tensor queries, Tensor map, Tensor origins, int size, MapGradientSink.Slot? slot = null) =>
        apply(queries, map, origins, size, slot?.Sink.LiveAnchor()!, slot!);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // A missing output gradient arrives as an invalid tensor, not as zeros that TorchSharp would build from an
        // empty tensor it registered in the caller's dispose scope, long freed by the backward pass.
        ctx.set_materialize_grads(false);
        var (queries, map, origins, size) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (int)vars[3]);
        var slot = vars[5] as MapGradientSink.Slot;
        // A map beside the graph is read from its sink in the backward pass: saved here it would live as long as the graph.
        ctx.save_for_backward([queries, slot is null ? map : null!, origins]);
        ctx.save_data(SizeKey, size);
        ctx.save_data(QueriesNeedGradient, queries.requires_grad);
        ctx.save_data(MapNeedsGradient, map.requires_grad);
        if (slot is not null)
        {
            ctx.save_data(SlotKey, slot);
            slot.Sink.ReadInBackward(slot.Frame);
        }
        using var scope = NewDisposeScope();
        Tensor result = empty([origins.shape[0], size, size], dtype: map.dtype, device: map.device);
        WindowCorrelationKernels.Forward(queries.contiguous(), map.contiguous(), origins.contiguous(), size, result, get_num_threads());
        return scope.MoveToOuter(result);
    }

    protected override int Arguments => 6;

    protected override List<Tensor> Gradients(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var slot = ctx.get_data(SlotKey) as MapGradientSink.Slot;
        try
        {
            return grad_output.IsInvalid ? NoGradients() : MapAndQueryGradients(ctx, grad_output, slot);
        }
        finally
        {
            // The sink frees the map once no other reader's backward pass needs it.
            slot?.Sink.ReaderDone(slot.Frame);
        }
    }

    private static List<Tensor> MapAndQueryGradients(autograd.AutogradContext ctx, Tensor grad_output, MapGradientSink.Slot? slot)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (queries, map, origins) = (saved[0], slot?.Map() ?? saved[1], saved[2]);
        int size = (int)ctx.get_data(SizeKey);
        Tensor? queriesGradient = (bool)ctx.get_data(QueriesNeedGradient) ? zeros(queries.shape, dtype: queries.dtype) : null;
        Tensor? mapGradient = slot is not null ? slot.Gradient() : (bool)ctx.get_data(MapNeedsGradient) ? zeros(map.shape, dtype: map.dtype) : null;
        WindowCorrelationKernels.Backward(grad_output.contiguous(), queries.contiguous(), map.contiguous(), origins.contiguous(), size,
            queriesGradient, mapGradient, get_num_threads());
        // One entry per argument of Apply (queries, map, origins, size, anchor, slot); a sunk map's gradient is in the sink.
        return [queriesGradient?.MoveToOuterDisposeScope()!, slot is null ? mapGradient?.MoveToOuterDisposeScope()! : null!, null!, null!, null!, null!];
    }
}
