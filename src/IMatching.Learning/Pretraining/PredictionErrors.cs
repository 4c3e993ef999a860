using IMatching.Learning.Matching;
using IMatching.Learning.Training;

namespace IMatching.Learning.Pretraining;

/// <summary>How far predictions are from their targets, in pixels, for reporting (no gradient).</summary>
internal static class PredictionErrors
{
    /// <summary>The fine-level error of each target, in the order given; all targets must belong to this pair.</summary>
    public static double[] Fine(PairPredictions prediction, IReadOnlyList<PointTarget> targets)
    {
        float[] fine = prediction.Fine.detach().cpu().data<float>().ToArray();
        return [.. targets.Select(t => Math.Sqrt(Square(fine[2 * t.Index] - t.TargetPx.X) + Square(fine[2 * t.Index + 1] - t.TargetPx.Y)))];
    }

    private static double Square(double v) => v * v;
}
