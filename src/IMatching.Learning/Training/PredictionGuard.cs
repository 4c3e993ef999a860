using IMatching.Learning.Matching;

namespace IMatching.Learning.Training;

/// <summary>A prediction with a NaN or an infinity anywhere (points, spread, confidence) must not be trained on.</summary>
public static class PredictionGuard
{
    public static bool AllFinite(IEnumerable<PairPredictions> predictions) => predictions.All(p =>
        Finite(p.Fine) && Finite(p.Coarse) && (p.Std is null || Finite(p.Std)) && (p.Confidence is null || Finite(p.Confidence)));

    private static bool Finite(TorchSharp.torch.Tensor t)
    {
        using var finite = t.isfinite();
        using var all = finite.all();
        return all.item<bool>();
    }
}
