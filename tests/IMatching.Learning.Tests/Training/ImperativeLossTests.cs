using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.Linear;
using IMatching.Learning.Matching;
using IMatching.Learning.Training;
using IMatching.Vision.Mapping;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>
/// The trainer's gradient is the gradient of the optimal BA cost: autograd through the imperative loss
/// (BA outputs as constants) against finite differences of the re-solved BA.
/// </summary>
public class ImperativeLossTests(ITestOutputHelper output)
{
    private static readonly SolverOptions Tight = new() { MaxIterations = 200, FunctionTolerance = 1e-15, GradientTolerance = 1e-13, ParameterTolerance = 1e-15 };
    private const double ImageSize = 640;

    /// <summary>Predictions whose fine and coarse points are leaves holding the clip's frame-B points (coarse 0.3 px off).</summary>
    private static List<PairPredictions> Leaves(SyntheticClip clip) => clip.Pairs.Select(c =>
    {
        var queries = new double[c.Count, 2];
        var b = new double[2 * c.Count];
        for (int i = 0; i < c.Count; i++)
        {
            queries[i, 0] = c.PointsA[i].X; queries[i, 1] = c.PointsA[i].Y;
            b[2 * i] = c.PointsB[i].X; b[2 * i + 1] = c.PointsB[i].Y;
        }
        var fine = tensor(b, [c.Count, 2], ScalarType.Float64).requires_grad_();
        var coarse = (tensor(b, [c.Count, 2], ScalarType.Float64) + 0.3).detach().requires_grad_();
        return new PairPredictions(c.FrameA, c.FrameB, queries, coarse, fine, null, null, c.OriginIds);
    }).ToList();

    /// <summary>The prediction an observation's origin id traces back to: (pair, index).</summary>
    private static (int Pair, int Index) Locate(List<PairPredictions> predictions, long originId)
    {
        for (int p = 0; p < predictions.Count; p++)
        {
            int i = Array.IndexOf(predictions[p].OriginIds, originId);
            if (i >= 0) return (p, i);
        }
        throw new InvalidOperationException($"origin id {originId} is in no prediction");
    }

    [Fact]
    public void LossGradientEqualsFiniteDifferenceOfTheResolvedBundleAdjustment()
    {
        var clip = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 150, noisePx: 0.8, outlierFraction: 0.2, seed: 6);
        var map = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { BundleAdjustmentIterations = 200 }).Map!;
        var predictions = Leaves(clip);
        using var loss = ImperativeLoss.Compute(predictions, map, ImageSize);
        loss.FineLoss.backward();

        // Two predictions: one in the quadratic part of the Huber kernel, one in the linear part.
        foreach (var target in new[]
        {
            Array.FindIndex(map.Observations, o => o.IsInlier && o.Side == CorrespondenceSide.B && o.ResidualPx is > 0.2 and < 0.8),
            Array.FindIndex(map.Observations, o => o.IsInlier && o.Side == CorrespondenceSide.B && o.ResidualPx > 1.3),
        })
        {
            Assert.True(target >= 0);
            var o = map.Observations[target];
            var (pair, index) = Locate(predictions, o.OriginId);
            var grad = predictions[pair].Fine.grad!;
            var analytic = new Vec2(grad[index, 0].item<double>(), grad[index, 1].item<double>());
            double scale = loss.Observations * ImageSize;

            double Resolved(Vec2 delta) =>
                Solver.Solve(MapObjective.Build(map, clip.Cameras, (i, x) => i == target ? x.PixelPx + delta : x.PixelPx), Tight).FinalCost;
            const double eps = 1e-4;
            var fd = new Vec2(
                (Resolved(new Vec2(eps, 0)) - Resolved(new Vec2(-eps, 0))) / (2 * eps),
                (Resolved(new Vec2(0, eps)) - Resolved(new Vec2(0, -eps))) / (2 * eps));
            output.WriteLine($"residual {o.ResidualPx:F3} px: autograd x N x S = {scale * analytic}, finite difference {fd}");
            Assert.True((scale * analytic - fd).Norm <= 1e-4 * fd.Norm, $"autograd {scale * analytic} vs finite difference {fd}");
        }
    }

    [Fact]
    public void OnlySurvivingPredictionsGetGradientAndTheCoarseLevelIsTrainedToo()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 120, noisePx: 0.5, outlierFraction: 0.3, seed: 8);
        var map = Mapper.Run(clip.Cameras, clip.Pairs).Map!;
        var predictions = Leaves(clip);
        using var loss = ImperativeLoss.Compute(predictions, map, ImageSize);
        loss.Loss.backward();

        var surviving = map.Observations.Where(o => o.IsInlier && o.Side == CorrespondenceSide.B).Select(o => Locate(predictions, o.OriginId)).ToHashSet();
        Assert.Equal(surviving.Count, loss.Observations);
        for (int p = 0; p < predictions.Count; p++)
            for (int i = 0; i < predictions[p].Count; i++)
            {
                bool hasGradient = predictions[p].Fine.grad![i].abs().sum().item<double>() > 0;
                Assert.Equal(surviving.Contains((p, i)), hasGradient);
                if (surviving.Contains((p, i))) Assert.True(predictions[p].Coarse.grad![i].abs().sum().item<double>() > 0);
                if (clip.OutlierOrigins.Contains(clip.Pairs[p].OriginIds[i])) Assert.False(hasGradient);
            }
        Assert.True(double.IsFinite(loss.Loss.item<double>()));
    }

    [Fact]
    public void ExactPredictionsGiveZeroLossAndFiniteZeroGradients()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 100, noisePx: 0, seed: 3);
        var map = Mapper.Run(clip.Cameras, clip.Pairs).Map!;
        var predictions = Leaves(clip);
        using var loss = ImperativeLoss.Compute(predictions, map, ImageSize);
        loss.FineLoss.backward();
        Assert.True(loss.FineLoss.item<double>() < 1e-6);
        foreach (var p in predictions) Assert.False(p.Fine.grad!.isnan().any().item<bool>());
    }
}
