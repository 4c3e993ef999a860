using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Vision.Mapping;
using IMatching.Vision.Matching;
using Xunit.Abstractions;

namespace IMatching.Vision.Tests.Mapping;

public class MapperTests(ITestOutputHelper output)
{
    /// <summary>Ground truth expressed in the mapper's gauge: initial frame A at the identity, |c_B - c_A| = 1.</summary>
    private static (double RotationDeg, double Position) PoseError(SyntheticClip clip, MapResult map)
    {
        var aFromWorld = clip.CameraFromWorld[map.InitialFrameA];
        double baseline = (clip.CameraFromWorld[map.InitialFrameB].InverseTranslation - aFromWorld.InverseTranslation).Norm;
        double rot = 0, pos = 0;
        for (int k = 0; k < clip.CameraFromWorld.Length; k++)
        {
            if (map.CameraFromWorld[k] is not { } estimate) continue;
            var truth = clip.CameraFromWorld[k].Compose(aFromWorld.Inverse());
            truth = new Se3(truth.Rotation, truth.Translation / baseline);
            rot = Math.Max(rot, So3.AngleBetween(estimate.Rotation, truth.Rotation) * 180 / Math.PI);
            pos = Math.Max(pos, (estimate.InverseTranslation - truth.InverseTranslation).Norm);
        }
        return (rot, pos);
    }

    [Fact]
    public void NoisyClipWithThirtyPercentOutliersIsMappedAndOutliersTrimmed()
    {
        var clip = SyntheticClip.Generate(frames: 6, correspondencesPerPair: 300, noisePx: 0.5, outlierFraction: 0.3);
        var outcome = Mapper.Run(clip.Cameras, clip.Pairs);

        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        var map = outcome.Map!;
        Assert.Equal(6, map.RegisteredFrames);
        var (rot, pos) = PoseError(clip, map);
        output.WriteLine($"max rotation error {rot:F4} deg, max centre error {pos:F4} baselines; inlier RMS {map.InlierRmsPx:F3} px");
        Assert.True(rot < 0.2, $"rotation error {rot} deg");
        // Depth/baseline is about 20 here, so the scale of the map is known to a few per cent.
        Assert.True(pos < 0.05, $"centre error {pos}");

        // Origins of what survives: predictions (side B) from planted outliers must be gone; true ones mostly kept.
        var survivingB = map.Inliers.Where(o => o.Side == CorrespondenceSide.B).Select(o => o.OriginId).ToHashSet();
        int plantedKept = survivingB.Count(clip.OutlierOrigins.Contains);
        int trueTotal = clip.Pairs.Sum(p => p.Count) - clip.OutlierOrigins.Count;
        int trueKept = survivingB.Count(id => !clip.OutlierOrigins.Contains(id));
        output.WriteLine($"kept {trueKept}/{trueTotal} true matches, {plantedKept}/{clip.OutlierOrigins.Count} planted outliers");
        Assert.True(plantedKept <= 0.01 * clip.OutlierOrigins.Count, $"{plantedKept} planted outliers survived");
        Assert.True(trueKept >= 0.85 * trueTotal, $"only {trueKept} of {trueTotal} true matches survived");
        Assert.All(map.Inliers, o => Assert.True(o.ResidualPx <= new MapperOptions().MaxReprojectionErrorPx));
    }

    /// <summary>
    /// The last BA's embedded point iterations change how it gets to the optimum, not where it ends: the same
    /// inliers, the same cost and residuals (the envelope gradient of each prediction) as without them.
    /// </summary>
    [Fact]
    public void EmbeddedPointIterationsLeaveTheMapAsItWas()
    {
        var clip = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 1000, noisePx: 1, outlierFraction: 0.4, seed: 3);
        var with = Mapper.Run(clip.Cameras, clip.Pairs).Map!;
        var without = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { FinalEmbeddedPointIterations = 0 }).Map!;

        Assert.True(Math.Abs(with.FinalCost - without.FinalCost) <= 1e-7 * without.FinalCost, $"{with.FinalCost} vs {without.FinalCost}");
        Assert.Equal(without.Observations.Select(o => o.IsInlier), with.Observations.Select(o => o.IsInlier));
        double worst = 0;
        for (int i = 0; i < with.Observations.Length; i++)
            if (with.Observations[i].IsInlier)
                worst = Math.Max(worst, (with.Observations[i].ReprojectedPx - without.Observations[i].ReprojectedPx).Norm);
        output.WriteLine($"final cost {with.FinalCost:F6} / {without.FinalCost:F6}; inlier reprojections at most {worst:E2} px apart");
        Assert.True(worst < 1e-3, $"an inlier's reprojection moved {worst} px");
    }

    [Fact]
    public void OriginIdsPointBackToTheCorrespondenceTheyCameFrom()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 200, noisePx: 0.3);
        var map = Mapper.Run(clip.Cameras, clip.Pairs).Map!;
        foreach (var o in map.Observations)
        {
            var pair = clip.Pairs.Single(p => p.OriginIds.Contains(o.OriginId));
            int index = pair.OriginIds.AsSpan().IndexOf(o.OriginId);
            Assert.True(index >= 0);
            Assert.Equal(o.Side == CorrespondenceSide.A ? pair.PointsA[index] : pair.PointsB[index], o.PixelPx);
            Assert.Equal(o.Side == CorrespondenceSide.A ? pair.FrameA : pair.FrameB, o.Frame);
        }
    }

    [Fact]
    public void ExactDataGivesExactPoses()
    {
        var clip = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 150, noisePx: 0);
        var map = Mapper.Run(clip.Cameras, clip.Pairs).Map!;
        var (rot, pos) = PoseError(clip, map);
        // Not zero: two points that project within the merge radius in one frame share a feature there.
        Assert.True(rot < 1e-3 && pos < 1e-4, $"{rot} deg, {pos}");
        Assert.True(map.InlierRmsPx < 0.02, $"{map.InlierRmsPx} px");
    }

    /// <summary>
    /// Here every BA starts at its optimum (residuals of rounding noise): the final BA's gradient ratio
    /// (<see cref="MapperOptions.FinalGradientRatio"/>) cannot be met, and exact data is exempt from it.
    /// </summary>
    [Fact]
    public void ExactDataWhoseBundleAdjustmentsStartAtTheOptimumIsMapped()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 100, noisePx: 0, seed: 3);
        var outcome = Mapper.Run(clip.Cameras, clip.Pairs);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        Assert.True(outcome.Map!.FinalCost < 1e-12, $"final cost {outcome.Map.FinalCost}");
    }

    [Theory]
    [InlineData(SyntheticMotion.PureRotation)]
    [InlineData(SyntheticMotion.None)]
    public void NoBaselineIsATypedFailure(SyntheticMotion motion)
    {
        var clip = SyntheticClip.Generate(frames: 5, correspondencesPerPair: 200, noisePx: 0.5, motion: motion);
        var outcome = Mapper.Run(clip.Cameras, clip.Pairs);
        Assert.False(outcome.Succeeded);
        Assert.Equal(MappingFailureReason.InsufficientParallax, outcome.Failure!.Reason);
    }

    [Fact]
    public void AnUnconvergedFinalBundleAdjustmentIsATypedFailureNotASilentMap()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 150, noisePx: 0.8, outlierFraction: 0.2, seed: 6);
        var outcome = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { FinalBundleAdjustmentIterations = 1 });
        Assert.False(outcome.Succeeded);
        Assert.Equal(MappingFailureReason.Unconverged, outcome.Failure!.Reason);
        // The trainer counts skips by this name.
        Assert.Equal("mapping_unconverged", "mapping_" + outcome.Failure.Reason.ToString().ToLowerInvariant());
        Assert.True(Mapper.Run(clip.Cameras, clip.Pairs).Succeeded);
    }

    [Fact]
    public void TheMapCarriesItsLossAndEveryObservationsWeight()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 150, noisePx: 0.5, seed: 2);
        var loss = new Geometry.RobustLosses.CauchyLoss(2);
        var map = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { RobustLoss = loss }).Map!;
        Assert.Same(loss, map.Loss);
        Assert.All(map.Observations, o => Assert.Equal(1, o.Weight));
        var weighted = Mapper.Run(clip.Cameras, clip.Pairs, new MapperOptions { WeightByConfidence = true }).Map!;
        Assert.All(weighted.Observations, o => Assert.InRange(o.Weight, 1e-3, 1));
    }

    [Fact]
    public void TooFewMatchesIsATypedFailure()
    {
        var clip = SyntheticClip.Generate(frames: 4, correspondencesPerPair: 12, noisePx: 0.5);
        var outcome = Mapper.Run(clip.Cameras, clip.Pairs);
        Assert.Equal(MappingFailureReason.TooFewMatches, outcome.Failure!.Reason);
        Assert.Equal(MappingFailureReason.TooFewMatches, Mapper.Run(clip.Cameras, []).Failure!.Reason);
    }

    [Fact]
    public void PairNamingAFrameOutsideTheClipIsRefused()
    {
        var clip = SyntheticClip.Generate(frames: 3, correspondencesPerPair: 50);
        var bad = Correspondences.Create(0, 7, [new Vec2(1, 1)], [new Vec2(2, 2)]);
        Assert.Throws<ArgumentException>(() => Mapper.Run(clip.Cameras, [.. clip.Pairs, bad]));
    }
}
