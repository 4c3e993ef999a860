using IMatching.Geometry.Linear;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The feature maps of every frame a set of pairs names, from one batched forward pass (per image size), and
/// each reference frame's queries, found once however many pairs use it. Owned by the caller's dispose scope.
/// </summary>
internal sealed class ClipFeatures
{
    private readonly IReadOnlyList<Tensor> _images;
    private readonly IQuerySource? _querySource;
    private readonly Dictionary<int, DenseFeatures> _features = [];
    private readonly Dictionary<int, Vec2[]> _queries = [];

    /// <param name="sinkReaders">The caller reads the fine level only through readers that honour
    /// <see cref="FeatureLevel.GradientSlot"/> (see <see cref="IDenseBackbone.ExtractForSinkReaders"/>).</param>
    public ClipFeatures(IDenseBackbone backbone, IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs, IQuerySource? querySource, bool sinkReaders = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(pairs);
        _images = images;
        _querySource = querySource;
        var frames = pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().Order().ToList();
        foreach (int frame in frames)
        {
            if (frame < 0 || frame >= images.Count)
                throw new ArgumentOutOfRangeException(nameof(pairs), frame, $"Pair names frame {frame}, but the clip has {images.Count} images.");
            Tensor image = images[frame];
            if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
                throw new ArgumentException($"Frame {frame}: expected a 1x3xHxW RGB tensor, got [{string.Join(", ", image.shape)}].", nameof(images));
        }
        // Frames of one size share a batch; a clip normally has a single size, so this is one forward pass.
        foreach (var group in frames.GroupBy(f => (images[f].shape[2], images[f].shape[3])))
        {
            int[] members = [.. group];
            Tensor batchImages = cat(members.Select(f => images[f]).ToArray(), 0);
            var batch = sinkReaders ? backbone.ExtractForSinkReaders(batchImages) : backbone.Extract(batchImages).Images();
            for (int i = 0; i < members.Length; i++)
                _features[members[i]] = batch[i];
        }
    }

    public DenseFeatures Features(int frame) => _features[frame];

    /// <summary>The sinks of the fine maps kept beside the graph (none unless asked for and taken), one per batch.</summary>
    public IEnumerable<MapGradientSink> Sinks => _features.Values.Select(f => f.Fine.GradientSlot?.Sink).OfType<MapGradientSink>().Distinct();

    public Vec2[] Queries(int frame)
    {
        if (_querySource is null) throw new InvalidOperationException("This matcher chooses its points itself.");
        if (!_queries.TryGetValue(frame, out var points))
            _queries[frame] = points = _querySource.Find(_images[frame], _features[frame]);
        return points;
    }

    /// <summary>n x 2 float32 pixels on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(IReadOnlyList<Vec2> points, Device device) =>
        tensor(points.SelectMany(p => new[] { (float)p.X, (float)p.Y }).ToArray(), [points.Count, 2], device: device);

    public static double[,] ToArray(IReadOnlyList<Vec2> points)
    {
        var result = new double[points.Count, 2];
        for (int i = 0; i < points.Count; i++)
            (result[i, 0], result[i, 1]) = (points[i].X, points[i].Y);
        return result;
    }
}
