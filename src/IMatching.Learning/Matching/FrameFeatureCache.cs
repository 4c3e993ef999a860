using System.Runtime.InteropServices;
using IMatching.Geometry.Linear;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The features and queries of the last few frames an inference caller matched, so a frame met in several pairs runs
/// through the backbone once. An entry is found by frame index AND by the exact pixels of the image: two datasets or
/// sequences may number their frames alike, and a hit on equal pixels is correct whatever the index says. Features
/// are made without a graph, so the cache is only valid while the weights do not change: keep it no longer than
/// one evaluation.
/// </summary>
internal sealed class FrameFeatureCache(int capacity) : IDisposable
{
    private readonly LinkedList<Entry> _entries = [];

    /// <summary>The frame's features, computed on a miss (the least recently used entry is dropped when full).</summary>
    public Entry Get(Mat image, int frame, IFrameFeatureMatcher matcher)
    {
        byte[] pixels = Pixels(image);
        for (var node = _entries.First; node is not null; node = node.Next)
        {
            if (!node.Value.Matches(frame, image, pixels)) continue;
            _entries.Remove(node);
            _entries.AddFirst(node);
            return node.Value;
        }
        var entry = new Entry(frame, image, pixels, matcher);
        _entries.AddFirst(entry);
        while (_entries.Count > capacity)
        {
            _entries.Last!.Value.Dispose();
            _entries.RemoveLast();
        }
        return entry;
    }

    public void Dispose()
    {
        foreach (var entry in _entries) entry.Dispose();
        _entries.Clear();
    }

    private static byte[] Pixels(Mat image)
    {
        // A clone is continuous whatever the source's layout, so its bytes are the pixels row after row.
        using Mat continuous = image.Clone();
        var bytes = new byte[continuous.Total() * continuous.ElemSize()];
        Marshal.Copy(continuous.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>One frame: its image tensor and features (owned, outside every dispose scope) and, once asked for, its queries.</summary>
    public sealed class Entry : IDisposable
    {
        private readonly int _frame, _rows, _cols;
        private readonly MatType _type;
        private readonly byte[] _pixels;
        private readonly IFrameFeatureMatcher _matcher;
        private readonly Tensor _image;
        private Vec2[]? _queries;

        internal Entry(int frame, Mat image, byte[] pixels, IFrameFeatureMatcher matcher)
        {
            (_frame, _rows, _cols, _type, _pixels, _matcher) = (frame, image.Rows, image.Cols, image.Type(), pixels, matcher);
            using var scope = NewDisposeScope();
            Tensor tensor = ImageTensor.FromMat(image, matcher.Device);
            DenseFeatures features = matcher.Backbone.Extract(tensor);
            _image = tensor.DetachFromDisposeScope();
            features.Coarse.Map.DetachFromDisposeScope();
            features.Fine.Map.DetachFromDisposeScope();
            features.Scores?.DetachFromDisposeScope();
            Features = features;
        }

        public DenseFeatures Features { get; }

        public Vec2[] Queries => _queries ??= _matcher.Queries.Find(_image, Features);

        internal bool Matches(int frame, Mat image, byte[] pixels) =>
            frame == _frame && image.Rows == _rows && image.Cols == _cols && image.Type() == _type && pixels.AsSpan().SequenceEqual(_pixels);

        public void Dispose()
        {
            Features.Dispose();
            _image.Dispose();
        }
    }
}
