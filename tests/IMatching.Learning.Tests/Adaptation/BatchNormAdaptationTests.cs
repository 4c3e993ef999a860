using IMatching.Vision.Datasets;
using IMatching.Learning.Adaptation;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Models;
using TorchSharp.Modules;

namespace IMatching.Learning.Tests.Adaptation;

/// <summary>The statistics-only baseline: running statistics move to the target frames, nothing else does.</summary>
public class BatchNormAdaptationTests
{
    private static IReadOnlyList<Frame> Frames(int count) =>
        [.. DataSpec.Parse($"tum:{Path.Combine(RepoPaths.Shared, "data", "tum_fr2_desk")}").OpenSequence().Frames.Take(count)];

    [Fact]
    public void Running_statistics_are_re_estimated_and_nothing_else_changes()
    {
        using var matcher = LearnedModels.CreateDifferentiable(new ModelSpec("alike-t+exp", null), new MatcherContext { Queries = "grid:64" });
        var before = InferenceModeTests.Snapshot(matcher.Network);
        var momenta = matcher.Network.modules().OfType<NormBase>().Select(n => n.momentum).ToList();

        int layers = BatchNormAdaptation.Run(matcher, Frames(4));

        Assert.True(layers > 0);
        Assert.False(matcher.Network.training);
        Assert.Equal(momenta, matcher.Network.modules().OfType<NormBase>().Select(n => n.momentum).ToList());
        var after = InferenceModeTests.Snapshot(matcher.Network);
        var changed = after.Where(kv => !kv.Value.eq(before[kv.Key]).all().item<bool>()).Select(kv => kv.Key).ToList();
        Assert.Contains(changed, name => name.EndsWith("running_mean", StringComparison.Ordinal));
        Assert.Contains(changed, name => name.EndsWith("running_var", StringComparison.Ordinal));
        Assert.All(changed, name => Assert.True(name.EndsWith("running_mean", StringComparison.Ordinal)
            || name.EndsWith("running_var", StringComparison.Ordinal) || name.EndsWith("num_batches_tracked", StringComparison.Ordinal), $"{name} changed"));
    }

    [Fact]
    public void The_estimate_depends_on_the_frames_only_not_on_the_statistics_before()
    {
        using var once = LearnedModels.CreateDifferentiable(new ModelSpec("alike-t+exp", null), new MatcherContext { Queries = "grid:64" });
        BatchNormAdaptation.Run(once, Frames(4));
        using var twice = LearnedModels.CreateDifferentiable(new ModelSpec("alike-t+exp", null), new MatcherContext { Queries = "grid:64" });
        BatchNormAdaptation.Run(twice, Frames(2));
        BatchNormAdaptation.Run(twice, Frames(4));
        InferenceModeTests.AssertIdentical(InferenceModeTests.Snapshot(once.Network), InferenceModeTests.Snapshot(twice.Network));
    }
}
