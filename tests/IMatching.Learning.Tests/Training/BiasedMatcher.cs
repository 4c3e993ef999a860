using IMatching.Learning.Matching;
using IMatching.Vision.Matching;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>
/// A stand-in network for trainer tests: SIFT matches (computed once per image pair) with a learnable 2-D
/// offset added to every prediction. Imperative learning should drive the offset to zero, since only
/// unbiased predictions agree with the queries in the same frames.
/// </summary>
internal sealed class BiasedMatcher : IDifferentiableMatcher
{
    private readonly Dictionary<(string, string), Correspondences> _cache = [];
    private readonly Dictionary<double, string> _pathBySum = [];
    private readonly BiasModule _module;

    /// <summary>The trainer hands over tensors only; the files are recognised by their pixel sums.</summary>
    public BiasedMatcher(IEnumerable<string> imagePaths, float biasX, float biasY)
    {
        foreach (var path in imagePaths)
        {
            using var image = ImageTensor.Load(path);
            _pathBySum[Math.Round(image.sum().item<float>(), 1)] = path;
        }
        _module = new BiasModule(biasX, biasY);
    }

    private string PathOf(Tensor image) => _pathBySum[Math.Round(image.sum().item<float>(), 1)];

    public string Name => "biased-sift";
    public Device Device => CPU;
    public IReadOnlyList<Tensor> Parameters => [.. _module.parameters()];
    public nn.Module Network => _module;
    public bool ProduceNaN { get; set; }
    public Tensor Bias => _module.Bias;

    public void Train(bool on) => _module.train(on);

    public IReadOnlyList<PairPredictions> Predict(IReadOnlyList<Tensor> images, IReadOnlyList<(int A, int B)> pairs)
    {
        var result = new List<PairPredictions>();
        for (int p = 0; p < pairs.Count; p++)
        {
            var (a, b) = pairs[p];
            var matches = Matches(PathOf(images[a]), PathOf(images[b]));
            int n = matches.Count;
            var queries = new double[n, 2];
            var points = new float[2 * n];
            for (int i = 0; i < n; i++)
            {
                queries[i, 0] = matches.PointsA[i].X; queries[i, 1] = matches.PointsA[i].Y;
                points[2 * i] = (float)matches.PointsB[i].X; points[2 * i + 1] = (float)matches.PointsB[i].Y;
            }
            var fine = tensor(points, [n, 2]) + _module.Bias;
            if (ProduceNaN) fine = fine * float.NaN;
            var ids = Enumerable.Range(0, n).Select(i => OriginId.Encode(p, i)).ToArray();
            result.Add(new PairPredictions(a, b, queries, fine, fine, null, null, ids));
        }
        return result;
    }

    private Correspondences Matches(string pathA, string pathB)
    {
        if (!_cache.TryGetValue((pathA, pathB), out var m))
        {
            using var ia = Cv2.ImRead(pathA);
            using var ib = Cv2.ImRead(pathB);
            _cache[(pathA, pathB)] = m = new SiftMatcher(new DescriptorMatcherOptions(maxFeatures: 1500)).Match(ia, ib, 0, 1);
        }
        return m;
    }

    public void Dispose() => _module.Dispose();
}
