using IMatching.Geometry.Linear;
using IMatching.Vision.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>Detached copies of predictions for the mapper and the evaluation, which work in doubles without gradients.</summary>
public static class PredictionCorrespondences
{
    /// <summary>
    /// Queries to fine points. Confidence is the head's inlier probability when it has one, otherwise 1 / (1 + std)
    /// with std in pixels: only its order matters to the consumers, and it must lie in (0, 1].
    /// </summary>
    public static Correspondences ToCorrespondences(this PairPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int n = predictions.Count;
        var pointsA = new Vec2[n];
        for (int i = 0; i < n; i++)
            pointsA[i] = new Vec2(predictions.Queries[i, 0], predictions.Queries[i, 1]);
        float[] fine = Values(predictions.Fine);
        var pointsB = Enumerable.Range(0, n).Select(i => new Vec2(fine[2 * i], fine[2 * i + 1])).ToArray();
        double[] confidence = predictions.Confidence is { } probability
            ? [.. Values(probability).Select(c => (double)c)]
            : predictions.Std is { } std
                ? [.. Values(std).Select(s => 1.0 / (1.0 + s))]
                : [.. Enumerable.Repeat(1.0, n)];
        return Correspondences.Create(predictions.FrameA, predictions.FrameB, pointsA, pointsB, confidence, (long[])predictions.OriginIds.Clone());
    }

    private static float[] Values(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }
}
