using IMatching.Learning.Matching;
using IMatching.Vision.Datasets;
using static TorchSharp.torch;

namespace IMatching.Learning.Pretraining;

/// <summary>
/// Held-out homography pairs, drawn once from the given frames (spread evenly over them) with a fixed seed, and the
/// mean matching accuracy of a matcher on them: per pair, the fraction of queries with ground truth whose fine
/// prediction lies within the threshold, then averaged over pairs (as <c>imatching eval</c> averages).
/// </summary>
public sealed class HomographyBenchmark : IDisposable
{
    private readonly List<HomographyPair> _pairs = [];
    private readonly double _marginPx;

    public HomographyBenchmark(Sequence frames, int pairCount, int seed, HomographyPairSampler sampler, (int Width, int Height)? imageSize = null,
        double marginPx = HomographyTargets.DefaultMarginPx)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pairCount);
        if (frames.Count == 0) throw new ArgumentException($"{frames.Name} has no frames to validate on.", nameof(frames));
        _marginPx = marginPx;
        for (int i = 0; i < pairCount; i++)
        {
            using var image = PretrainingImage.Load(frames[(int)((long)i * frames.Count / pairCount)], imageSize);
            _pairs.Add(sampler.Sample(image, new Random(unchecked(seed * 1_000_003 + i))));
        }
    }

    public int Count => _pairs.Count;

    /// <summary>MMA at each threshold, in inference mode (the matcher is left there) and without gradients.</summary>
    public double[] MeanMatchingAccuracy(IDifferentiableMatcher matcher, IReadOnlyList<double> thresholdsPx)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(thresholdsPx);
        matcher.Train(false);
        var sums = new double[thresholdsPx.Count];
        int scored = 0;
        foreach (var pair in _pairs)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor[] images = [ImageTensor.FromMat(pair.ImageA, matcher.Device), ImageTensor.FromMat(pair.ImageB, matcher.Device)];
            var prediction = matcher.Predict(images, [(0, 1)])[0];
            var targets = HomographyTargets.Compute(0, prediction.Queries, pair.BFromA, pair.ImageB.Width, pair.ImageB.Height, _marginPx);
            if (targets.Count == 0) continue;
            double[] errors = PredictionErrors.Fine(prediction, targets);
            for (int t = 0; t < sums.Length; t++) sums[t] += errors.Count(e => e <= thresholdsPx[t]) / (double)errors.Length;
            scored++;
        }
        return [.. sums.Select(s => scored == 0 ? 0 : s / scored)];
    }

    public void Dispose()
    {
        foreach (var pair in _pairs) pair.Dispose();
    }
}
