using IMatching.Geometry.Linear;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>Queries from <see cref="IQuerySource"/>, located in the other frame by the <see cref="ExpectationHead"/> on any dense backbone.</summary>
public sealed class ExpectationMatcher(string name, IDenseBackbone backbone, IQuerySource queries, ExpectationHeadOptions options) : IFrameFeatureMatcher
{
    public string Name { get; } = name;
    public IDenseBackbone Backbone { get; } = backbone ?? throw new ArgumentNullException(nameof(backbone));
    public IQuerySource Queries { get; } = queries ?? throw new ArgumentNullException(nameof(queries));
    public ExpectationHeadOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));
    public Device Device => Backbone.Device;
    public IReadOnlyList<Tensor> Parameters => Backbone.Parameters;

    /// <summary>The head has no weights, so a checkpoint is the backbone's state dict under its published names.</summary>
    public nn.Module Network => Backbone.Network;

    public void Train(bool on) => Backbone.Train(on);

    public IReadOnlyList<PairPredictions> Predict(IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs)
    {
        using var scope = NewDisposeScope();
        var clip = new ClipFeatures(Backbone, images, pairs, Queries);
        // A frame is reference or target of several pairs: its query descriptors and window table are made once.
        var references = new Dictionary<int, (Vec2[] Points, QueryDescriptors Descriptors)>();
        var targets = new Dictionary<int, WindowTable>();
        var result = new List<PairPredictions>(pairs.Count);
        for (int p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            if (!references.TryGetValue(a, out var reference))
            {
                var points = clip.Queries(a);
                references[a] = reference = (points, QueryDescriptors.Of(ClipFeatures.ToTensor(points, Device), clip.Features(a)));
            }
            if (!targets.TryGetValue(b, out var table))
                targets[b] = table = new WindowTable(clip.Features(b).Fine, Options.WindowSize);
            result.Add(Pair(p, a, b, reference.Points, reference.Descriptors, clip.Features(b).Coarse, table));
        }
        return result;
    }

    public PairPredictions PredictPair(int frameA, int frameB, Vec2[] points, DenseFeatures a, DenseFeatures b)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var scope = NewDisposeScope();
        var descriptors = QueryDescriptors.Of(ClipFeatures.ToTensor(points, Device), a);
        return Pair(0, frameA, frameB, points, descriptors, b.Coarse, new WindowTable(b.Fine, Options.WindowSize));
    }

    private PairPredictions Pair(int pair, int a, int b, Vec2[] points, QueryDescriptors descriptors, FeatureLevel coarseB, WindowTable fineB)
    {
        var (coarse, fine, std) = ExpectationHead.Predict(descriptors, coarseB, fineB, Options);
        long[] origins = [.. Enumerable.Range(0, points.Length).Select(i => OriginId.Encode(pair, i))];
        return new PairPredictions(a, b, ClipFeatures.ToArray(points), coarse, fine, std, null, origins).MoveToOuterDisposeScope();
    }

    public void Dispose() => Backbone.Dispose();
}
