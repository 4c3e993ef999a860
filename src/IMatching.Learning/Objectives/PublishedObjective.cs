using TorchSharp;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.MultiView;
using IMatching.Learning.Matching;
using IMatching.Vision.Mapping;
using static TorchSharp.torch;

namespace IMatching.Learning.Objectives;

/// <summary>
/// <c>published</c>: the objective of the published iMatching code for CAPS-style matchers. The reprojection term is the
/// unsquared distance between each surviving prediction and the map's reprojection of its landmark, on the coarse and
/// the fine level, clamped at half the shorter image edge, averaged and divided by the longer edge. The epipolar term is
/// CAPS's coarse-to-fine criterion with the fundamental matrix of the BA poses: each prediction's distance to its query's
/// epipolar line, weighted by the inverse spread (normalised), coarse predictions kept within half the shorter edge,
/// fine ones also only where the coarse one lies within the fine window (1/8 of the shorter edge), each divided by the
/// longer edge. CAPS's cycle-consistency terms need backward predictions, which these heads do not make (the published
/// iMatching leaves them out of the reprojection term too), and the spread of both levels is their mean here.
/// Poses, landmarks and F are constants: the gradient reaches only the predictions.
/// </summary>
public sealed class PublishedObjective : IImperativeObjective
{
    public const string OptionName = "published";
    /// <summary>Reprojection errors clamp at this fraction of the shorter edge.</summary>
    public const double ReprojectionClamp = 0.5;
    /// <summary>CAPS's th_epipolar: a prediction farther from its line than this fraction of the shorter edge is left out.</summary>
    public const double EpipolarThreshold = 0.5;
    /// <summary>CAPS's window_size: the fine term counts only where the coarse prediction is this close to the line.</summary>
    public const double FineWindow = 0.125;

    public string Name => OptionName;

    public ObjectiveValue Compute(IReadOnlyList<PairPredictions> predictions, MapResult map, IReadOnlyList<PinholeCamera> cameras)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(cameras);
        using var scope = NewDisposeScope();
        double shorter = Math.Min(cameras[0].Width, cameras[0].Height), longer = Math.Max(cameras[0].Width, cameras[0].Height);
        var (reprojection, observations) = Reprojection(predictions, map, ReprojectionClamp * shorter);
        if (observations == 0) return new ObjectiveValue(reprojection.MoveToOuterDisposeScope(), 0);
        Tensor loss = reprojection.Over(longer) + Epipolar(predictions, map, cameras, shorter).Over(longer);
        return new ObjectiveValue(loss.MoveToOuterDisposeScope(), observations);
    }

    /// <summary>Mean over surviving observations of (coarse + fine) clamped distances; and their count.</summary>
    private static (Tensor Mean, int Count) Reprojection(IReadOnlyList<PairPredictions> predictions, MapResult map, double clampPx)
    {
        var origins = PredictionOrigins.Index(predictions);
        var terms = new List<Tensor>();
        int count = 0;
        foreach (var group in map.Observations.Where(o => o.IsInlier && o.Side == CorrespondenceSide.B).GroupBy(o => origins.Locate(o.OriginId).Pair))
        {
            var p = predictions[group.Key];
            var located = group.Select(o => (origins.Locate(o.OriginId).Index, o.ReprojectedPx)).ToList();
            Tensor index = tensor(located.Select(l => (long)l.Index).ToArray(), device: p.Fine.device);
            Tensor target = tensor(located.SelectMany(l => new[] { l.ReprojectedPx.X, l.ReprojectedPx.Y }).ToArray(), [located.Count, 2], dtype: p.Fine.dtype, device: p.Fine.device);
            terms.Add(ObjectiveTerms.ClampedDistance(p.Coarse.index_select(0, index), target, clampPx)
                .Plus(ObjectiveTerms.ClampedDistance(p.Fine.index_select(0, index), target, clampPx)));
            count += located.Count;
        }
        var device = predictions.Count > 0 ? predictions[0].Fine.device : CPU;
        return count == 0 ? (zeros(1, device: device).squeeze(), 0) : (cat(terms.ToArray(), 0).mean(), count);
    }

    /// <summary>CAPS's weighted epipolar costs, coarse plus fine, over every prediction of every pair whose frames were registered.</summary>
    private static Tensor Epipolar(IReadOnlyList<PairPredictions> predictions, MapResult map, IReadOnlyList<PinholeCamera> cameras, double shorter)
    {
        var coarse = new List<Tensor>();
        var fine = new List<Tensor>();
        var spread = new List<Tensor>();
        foreach (var p in predictions)
        {
            if (p.Count == 0 || map.CameraFromWorld[p.FrameA] is not { } poseA || map.CameraFromWorld[p.FrameB] is not { } poseB) continue;
            var f = FundamentalMatrix.FromPoses(poseA, poseB, Intrinsics(cameras[p.FrameA]), Intrinsics(cameras[p.FrameB]));
            Tensor fundamental = tensor(Enumerable.Range(0, 9).Select(i => f[i / 3, i % 3]).ToArray(), [3, 3], dtype: p.Fine.dtype, device: p.Fine.device);
            Tensor queries = tensor(p.Queries.Cast<double>().ToArray(), [p.Count, 2], dtype: p.Fine.dtype, device: p.Fine.device);
            coarse.Add(ObjectiveTerms.EpipolarDistance(queries, p.Coarse, fundamental));
            fine.Add(ObjectiveTerms.EpipolarDistance(queries, p.Fine, fundamental));
            spread.Add(p.Std ?? ones(p.Count, dtype: p.Fine.dtype, device: p.Fine.device));
        }
        if (coarse.Count == 0) return zeros(1, device: predictions[0].Fine.device).squeeze();
        Tensor costCoarse = cat(coarse.ToArray(), 0), costFine = cat(fine.ToArray(), 0), std = cat(spread.ToArray(), 0);
        using Scalar epipolarBound = (EpipolarThreshold * shorter).ToScalar(), windowBound = (FineWindow * shorter).ToScalar();
        Tensor keepCoarse = costCoarse.detach().lt(epipolarBound);
        Tensor keepFine = costFine.detach().lt(epipolarBound).logical_and(costCoarse.detach().lt(windowBound));
        return (costCoarse * ObjectiveTerms.InverseSpreadWeights(std, keepCoarse)).mean()
            .Plus((costFine * ObjectiveTerms.InverseSpreadWeights(std, keepFine)).mean());
    }

    private static Geometry.Linear.Mat3 Intrinsics(PinholeCamera camera) => FundamentalMatrix.Intrinsics(camera.Fx, camera.Fy, camera.Cx, camera.Cy);
}
