using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>Queries from <see cref="IQuerySource"/>, located in the other frame by the <see cref="ExpectationHead"/> on any dense backbone.</summary>
public sealed class ExpectationMatcher(string name, IDenseBackbone backbone, IQuerySource queries, ExpectationHeadOptions options) : IDifferentiableMatcher
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
        var result = new List<PairPredictions>(pairs.Count);
        for (int p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            var points = clip.Queries(a);
            Tensor queries = ClipFeatures.ToTensor(points, Device);
            var (coarse, fine, std) = ExpectationHead.Predict(queries, clip.Features(a), clip.Features(b), Options);
            long[] origins = [.. Enumerable.Range(0, points.Length).Select(i => OriginId.Encode(p, i))];
            result.Add(new PairPredictions(a, b, ClipFeatures.ToArray(points), coarse, fine, std, null, origins).MoveToOuterDisposeScope());
        }
        return result;
    }

    public void Dispose() => Backbone.Dispose();
}
