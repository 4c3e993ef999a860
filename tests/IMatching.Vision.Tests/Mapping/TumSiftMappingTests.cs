using IMatching.Geometry.Trajectories;
using IMatching.Vision.Datasets;
using IMatching.Vision.Mapping;
using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;
using Xunit.Abstractions;

namespace IMatching.Vision.Tests.Mapping;

/// <summary>The real TUM fr2_desk frames, SIFT matches, the incremental mapper, ATE after Sim(3) alignment.</summary>
[Trait("Category", "Long")]
public class TumSiftMappingTests(ITestOutputHelper output)
{
    [Fact]
    public void AllTwentyFramesAreRegisteredWithCentimetreTrajectoryError()
    {
        var sequence = DataSpec.Parse($"tum:{Path.Combine(RepoPaths.Shared, "data", "tum_fr2_desk")}").OpenSequence();
        var result = SequenceMapping.Run(sequence, new SiftMatcher());

        Assert.True(result.Outcome.Succeeded, result.Outcome.Failure?.Detail);
        var map = result.Outcome.Map!;
        Assert.Equal(20, map.RegisteredFrames);
        var pairs = TrajectoryAssociation.Associate(result.Trajectory(), result.GroundTruth()!);
        var ate = AbsoluteTrajectoryError.Compute(pairs, TrajectoryAlignment.Sim3);
        output.WriteLine($"ATE RMSE {ate.Translation.Rmse * 100:F2} cm over {pairs.Count} poses; {map.Landmarks.Length} landmarks, inlier RMS {map.InlierRmsPx:F2} px, inlier ratio {map.InlierRatio:P1}");
        Assert.True(ate.Translation.Rmse < 0.01, $"ATE RMSE {ate.Translation.Rmse} m");
    }
}
