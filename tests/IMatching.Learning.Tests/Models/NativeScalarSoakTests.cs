using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Matching;
using Xunit.Abstractions;

namespace IMatching.Learning.Tests.Models;

/// <summary>
/// Thousands of evaluations in one process, with the collections they cause themselves: the setting in which
/// TorchSharp scalars left to the finalizer were freed during the native calls that used them ("Unknown scalar type"
/// after a minute of <c>eval</c>). With every scalar of ours explicit and disposed, and <c>square()</c> avoided, the run
/// ends cleanly. (A variant that forces collections from a second thread without pause still finds TorchSharp's own
/// implicit scalars, e.g. the alpha of <c>Tensor + Tensor</c>: see the README's Open section.)
/// </summary>
[Trait("Category", "Long")]
public class NativeScalarSoakTests(ITestOutputHelper output)
{
    [Fact]
    public void Thousands_of_matches_in_one_process_finish_without_a_native_error()
    {
        using var matcher = new DifferentiablePairMatcher(LearnedModels.CreateDifferentiable(
            new ModelSpec("alike-t+exp", MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)), new MatcherContext { Queries = "alike:32" }));
        using var image = MatchingFixtures.Read(MatchingFixtures.TumImage);
        using var small = image.Resize(new OpenCvSharp.Size(64, 48));
        using var shifted = MatchingFixtures.Shifted(small, 1.5, -0.5);
        const int Evaluations = 2000;
        long matches = 0;
        int collectionsBefore = GC.CollectionCount(0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Frame indices change every call, so no pair is served from the adapter's feature cache.
        for (int i = 0; i < Evaluations; i++)
            matches += matcher.Match(small, shifted, 2 * i, 2 * i + 1).Count;
        int collections = GC.CollectionCount(0) - collectionsBefore;
        output.WriteLine($"{Evaluations} evaluations, {matches} matches, {collections} gen-0 collections, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(matches > 0);
        Assert.True(collections > 0, "no garbage collection ran: the soak exercised nothing");
    }
}
