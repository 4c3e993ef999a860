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
        // The head reads the fine maps only by sampling queries and correlating windows, which both honour a sink.
        var clip = new ClipFeatures(Backbone, images, pairs, Queries, sinkReaders: true);
        // A frame is reference or target of several pairs: its query descriptors are sampled once. The pairs that
        // share a target frame are predicted in one call, their queries stacked: every query's prediction depends on
        // its own descriptors and the target's maps alone, so the results are the same, and the target's map gets one
        // gradient tensor from the head instead of one per pair.
        var references = new Dictionary<int, (Vec2[] Points, QueryDescriptors Descriptors)>();
        var keptForBackward = new List<IDisposable>();
        var result = new PairPredictions[pairs.Count];
        foreach (var target in Enumerable.Range(0, pairs.Count).GroupBy(p => pairs[p].B))
        {
            int[] members = [.. target];
            var stacked = new List<QueryDescriptors>(members.Length);
            foreach (int p in members)
            {
                int a = pairs[p].A;
                if (!references.TryGetValue(a, out var reference))
                {
                    var points = clip.Queries(a);
                    references[a] = reference = (points, QueryDescriptors.Of(ClipFeatures.ToTensor(points, Device), clip.Features(a)));
                }
                stacked.Add(reference.Descriptors);
            }
            DenseFeatures b = clip.Features(target.Key);
            var (coarse, fine, std, kept) = ExpectationHead.Predict(QueryDescriptors.Stack(stacked), b.Coarse, new WindowTable(b.Fine, Options.WindowSize), Options);
            if (kept is not null) keptForBackward.Add(kept);
            long start = 0;
            foreach (int p in members)
            {
                Vec2[] points = references[pairs[p].A].Points;
                result[p] = Pair(p, pairs[p].A, pairs[p].B, points, coarse.narrow(0, start, points.Length), fine.narrow(0, start, points.Length), std.narrow(0, start, points.Length));
                start += points.Length;
            }
        }
        // The maps beside the graph and the coarse level's correlations outlive this call: the backward pass frees them,
        // the caller's scope if none comes.
        foreach (var sink in clip.Sinks) scope.MoveToOuter(sink.Handles);
        scope.MoveToOuter([.. keptForBackward]);
        return result;
    }

    public PairPredictions PredictPair(int frameA, int frameB, Vec2[] points, DenseFeatures a, DenseFeatures b)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var scope = NewDisposeScope();
        var descriptors = QueryDescriptors.Of(ClipFeatures.ToTensor(points, Device), a);
        var (coarse, fine, std, kept) = ExpectationHead.Predict(descriptors, b.Coarse, new WindowTable(b.Fine, Options.WindowSize), Options);
        if (kept is not null) scope.MoveToOuter(kept);
        return Pair(0, frameA, frameB, points, coarse, fine, std);
    }

    private static PairPredictions Pair(int pair, int a, int b, Vec2[] points, Tensor coarse, Tensor fine, Tensor std)
    {
        long[] origins = [.. Enumerable.Range(0, points.Length).Select(i => OriginId.Encode(pair, i))];
        return new PairPredictions(a, b, ClipFeatures.ToArray(points), coarse, fine, std, null, origins).MoveToOuterDisposeScope();
    }

    public void Dispose() => Backbone.Dispose();
}
