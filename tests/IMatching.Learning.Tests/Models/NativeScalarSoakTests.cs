using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Matching;
using Xunit.Abstractions;

namespace IMatching.Learning.Tests.Models;

/// <summary>
/// Thousands of evaluations in one process while another thread keeps the garbage collector busy: the setting in
/// which TorchSharp scalars left to the finalizer were freed during the native calls that used them ("Unknown scalar
/// type" after a minute of <c>eval</c>). With every scalar explicit and disposed, the run ends cleanly.
/// </summary>
[Trait("Category", "Long")]
public class NativeScalarSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Thousands_of_matches_under_garbage_collection_pressure_finish_without_a_native_error()
    {
        using var matcher = new DifferentiablePairMatcher(LearnedModels.CreateDifferentiable(
            new ModelSpec("alike-t+exp", MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)), new MatcherContext { Queries = "alike:32" }));
        using var image = MatchingFixtures.Read(MatchingFixtures.TumImage);
        using var small = image.Resize(new OpenCvSharp.Size(64, 48));
        using var shifted = MatchingFixtures.Shifted(small, 1.5, -0.5);

        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        });
        const int Evaluations = 2000;
        long matches = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < Evaluations; i++)
                matches += matcher.Match(small, shifted, i, i + 1).Count;
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
        output.WriteLine($"{Evaluations} evaluations, {matches} matches, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(matches > 0);
    }
}
