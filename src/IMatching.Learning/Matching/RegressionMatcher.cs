using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// Queries matched coarsely by <see cref="CoarseMutualMatches"/>, then refined by the <see cref="RegressionHead"/>.
/// Only mutual matches become predictions; their origin ids keep the query index. Coarse points are cell centres
/// (an argmax, so without gradient); the fine points and the confidence carry gradients to backbone and head.
/// </summary>
public sealed class RegressionMatcher(string name, IDenseBackbone backbone, IQuerySource queries, RegressionHead head) : IDifferentiableMatcher
{
    public string Name { get; } = name;
    public IDenseBackbone Backbone { get; } = backbone ?? throw new ArgumentNullException(nameof(backbone));
    public IQuerySource Queries { get; } = queries ?? throw new ArgumentNullException(nameof(queries));
    public RegressionHead Head { get; } = head ?? throw new ArgumentNullException(nameof(head));
    public Device Device => Backbone.Device;
    public IReadOnlyList<Tensor> Parameters => [.. Backbone.Parameters, .. Head.Network.parameters()];

    /// <summary>Backbone and head under <c>backbone.</c> and <c>head.</c>, so one state dict holds both.</summary>
    public nn.Module Network { get; } = new MatcherNetwork(backbone.Network, head.Network);

    /// <summary>The whole network, wrapper included, so its mode reads the same from every module.</summary>
    public void Train(bool on) => Network.train(on);

    public IReadOnlyList<PairPredictions> Predict(IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs)
    {
        using var scope = NewDisposeScope();
        var clip = new ClipFeatures(Backbone, images, pairs, Queries);
        var result = new List<PairPredictions>(pairs.Count);
        for (int p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            DenseFeatures fa = clip.Features(a), fb = clip.Features(b);
            var points = clip.Queries(a);
            var (kept, coarse) = CoarseMutualMatches.Find(ClipFeatures.ToTensor(points, Device), fa.Coarse, fb.Coarse);
            int[] indices = [.. kept.cpu().data<long>().ToArray().Select(i => (int)i)];
            var keptPoints = indices.Select(i => points[i]).ToArray();
            var (fine, confidence) = Head.Refine(ClipFeatures.ToTensor(keptPoints, Device), coarse, fa.Fine, fb.Fine);
            long[] origins = [.. indices.Select(i => OriginId.Encode(p, i))];
            result.Add(new PairPredictions(a, b, ClipFeatures.ToArray(keptPoints), coarse, fine, null, confidence, origins).MoveToOuterDisposeScope());
        }
        return result;
    }

    public void Dispose()
    {
        Backbone.Dispose();
        Head.Network.Dispose();
    }
}
