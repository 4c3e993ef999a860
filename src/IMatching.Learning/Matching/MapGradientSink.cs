using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// Where the head adds the gradient of a clip's fine maps when the backbone keeps those maps out of the autograd graph
/// (<see cref="AlikeBackbone"/> recomputing frame by frame, float32 maps on the CPU). Through the graph a clip's
/// 129-channel full-resolution maps cost several copies beyond the maps themselves for the whole backward pass (0.8 GB
/// each for five 640x480 frames): TorchSharp keeps an empty tensor the size of every custom function's output (its
/// cache for materialising a missing gradient) and every tensor a custom function saves until the graph is freed, a
/// gradient a custom function hands back stays alive as long as its C# wrapper's dispose scope, and the clip's
/// incoming gradient is built by concatenating per-frame ones. Beside the graph, the fine level's readers
/// (<see cref="SunkSampling"/>, <see cref="MapWindowCorrelation"/>) read the maps from here and add their gradients
/// here in place, frame by frame; the recomputation's backward pass, which runs after all of them (each takes
/// <see cref="Anchor"/>, the recomputation's own output, as an input), takes one frame's gradient at a time. Per
/// frame, not one clip-sized block: the frames' own outputs are kept (no copy), and each frame's gradient is freed as
/// soon as that frame is done. A frame's map is freed as soon as no reader's backward pass still needs it
/// (<see cref="ReadInBackward"/>, <see cref="ReaderDone"/>): the clip's maps and their gradients are then never all
/// alive at once, as they were when the maps lived until the recomputation (5 maps and 5 gradients at the end of the
/// head's backward pass, 1.5 GiB at 640x480).
/// </summary>
internal sealed class MapGradientSink
{
    private Tensor?[] _maps = [];
    private Tensor?[] _gradients = [];
    private (long[] Shape, ScalarType Type, Device Device)[] _layouts = [];
    private int[] _backwardReaders = [];

    /// <summary>The recomputation's output (in the graph), set once it exists; readers take it as an input.</summary>
    public Tensor Anchor { get; set; } = null!;

    /// <summary>
    /// The anchor, refused when it could not join the graph: TorchSharp leaves a freed tensor argument out of a
    /// function's inputs, and a reader without a requiring input would have no backward pass at all.
    /// </summary>
    public Tensor LiveAnchor() => Anchor is { IsInvalid: false, requires_grad: true }
        ? Anchor
        : throw new InvalidOperationException("The map gradient sink's anchor is freed or outside the graph: its readers' gradients would be lost.");

    /// <summary>
    /// Each frame's map beside the graph (1 x D x H x W), outside any dispose scope when the forward pass sets
    /// them. The backbone and the matcher move these handles to the matcher's caller's dispose scope, which frees
    /// them when no backward pass comes; otherwise the readers' backward passes do (<see cref="ReaderDone"/>), or
    /// <see cref="ReleaseMaps"/> before the recomputation.
    /// </summary>
    public IReadOnlyList<Tensor> Maps
    {
        get => [.. _maps.OfType<Tensor>()];
        set
        {
            _maps = [.. value];
            _gradients = new Tensor?[value.Count];
            _layouts = [.. value.Select(m => (m.shape, m.dtype, m.device))];
            _backwardReaders = new int[value.Count];
        }
    }

    /// <summary>One frame's map (1 x D x H x W).</summary>
    public Tensor Map(long frame) => _maps[frame] ?? throw new InvalidOperationException("The sink's map was released before a reader's backward pass.");

    /// <summary>The gradient of one frame's map (1 x D x H x W), zeros until added to; the sink owns it.</summary>
    public Tensor Gradient(long frame)
    {
        // The map itself may be freed already: the gradient takes its layout as recorded.
        var (shape, type, device) = _layouts[frame];
        // Outside any dispose scope: the recomputation's backward pass takes it.
        return _gradients[frame] ??= zeros(shape, dtype: type, device: device).DetachFromDisposeScope();
    }

    /// <summary>
    /// A reader's forward pass says its backward pass will read the frame's map (the window correlation's query
    /// gradient does; sampling's backward pass does not). Every reader's forward pass runs before any backward pass.
    /// </summary>
    public void ReadInBackward(long frame) => _backwardReaders[frame]++;

    /// <summary>
    /// A reader's backward pass is done; <paramref name="readFrame"/> is the frame whose map it read (as registered
    /// with <see cref="ReadInBackward"/>), or null. Every map no pending backward pass reads is freed: the forward
    /// pass is over once any backward pass runs, so a map nobody reads in the backward pass is no longer needed.
    /// </summary>
    public void ReaderDone(long? readFrame)
    {
        if (readFrame is long frame) _backwardReaders[frame]--;
        for (int i = 0; i < _maps.Length; i++)
            if (_backwardReaders[i] <= 0 && _maps[i] is { } map)
            {
                map.Dispose();
                _maps[i] = null;
            }
    }

    /// <summary>One frame's gradient handed over with its ownership, or null when nothing was added.</summary>
    public Tensor? TakeGradient(long frame)
    {
        var gradient = _gradients[frame];
        _gradients[frame] = null;
        return gradient;
    }

    /// <summary>Each frame's outputs that take no gradient at all (1 x ..., as the maps), or none.</summary>
    public IReadOnlyList<Tensor> Unattached { get; set; } = [];

    /// <summary>Every handle the recomputation made for the sink (maps and unattached outputs), for the dispose scopes that own them.</summary>
    public IDisposable[] Handles => [.. Maps, .. Unattached];

    /// <summary>Frees the maps still held once every reader's backward pass has run (the recomputation's backward pass, first thing): those whose readers' backward passes did not run (no gradient reached them).</summary>
    public void ReleaseMaps()
    {
        for (int i = 0; i < _maps.Length; i++)
        {
            _maps[i]?.Dispose();
            _maps[i] = null;
        }
    }

    /// <summary>A reader's handle on the sink: the frame its single-image map is.</summary>
    public sealed record Slot(MapGradientSink Sink, long Frame)
    {
        /// <summary>D x H x W, a view the caller disposes.</summary>
        public Tensor Map() => Sink.Map(Frame)[0];

        /// <summary>D x H x W, a view the caller disposes.</summary>
        public Tensor Gradient() => Sink.Gradient(Frame)[0];
    }
}
