using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Checkpoints;
using IMatching.Learning.Pretraining;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using IMatching.Vision.Synthetic;
using IMatching.Learning.Matching;
using IMatching.Learning.Models;
using IMatching.Learning.Tests.Matching;
using Xunit.Abstractions;

namespace IMatching.Learning.Tests.Models;

/// <summary>
/// Thousands of evaluations in one process, with the collections they cause themselves: the setting in which
/// TorchSharp scalars left to the finalizer were freed during the native calls that used them ("Unknown scalar type"
/// after a minute of <c>eval</c>). With every scalar of ours explicit and disposed, and TorchSharp's members that make
/// their own avoided (<c>a + b</c>, <c>arange(n)</c>, BatchNorm's training counter, ELU) or run with collections held off
/// (optimiser steps), the runs end cleanly, also with a second thread causing collections without pause.
/// </summary>
[Trait("Category", "Long")]
[Collection(SoakCollection.Name)]
public class NativeScalarSoakTests(ITestOutputHelper output)
{
    [Fact]
    public void Thousands_of_matches_in_one_process_finish_without_a_native_error()
    {
        using var pair = new SoakPair();
        const int Evaluations = 2000;
        long matches = 0;
        int collectionsBefore = GC.CollectionCount(0);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < Evaluations; i++)
            matches += pair.Match(i);
        int collections = GC.CollectionCount(0) - collectionsBefore;
        output.WriteLine($"{Evaluations} evaluations, {matches} matches, {collections} gen-0 collections, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(matches > 0);
        Assert.True(collections > 0, "no garbage collection ran: the soak exercised nothing");
    }

    [Fact]
    public void Matches_survive_collections_forced_from_another_thread()
    {
        using var pair = new SoakPair();
        long matches = 0;
        int evaluations = 0, start = GC.CollectionCount(0);
        // Until 2000 collections have run during the evaluations (at least 40 evaluations, at most 400). The forced
        // collections take most of the time, and how many the other thread manages per evaluation depends on the
        // machine and its load: 400 evaluations saw 16742 of them in 175 s in one run, and the Learning tests' total
        // varied from 2 to 12 minutes between runs with this test's fixed count.
        int collections = UnderCollections(forced: true, () =>
        {
            while (evaluations < 400 && (evaluations < 40 || GC.CollectionCount(0) - start < 2000))
                matches += pair.Match(evaluations++);
        });
        output.WriteLine($"{evaluations} evaluations, {matches} matches, {collections} collections forced meanwhile");
        Assert.True(matches > 0);
        Assert.True(collections > 100, $"only {collections} collections ran: the soak exercised little");
    }

    /// <summary>
    /// Pretraining steps: batch norm in training mode (its batch counter) and Adam (its coefficients), with a second
    /// thread allocating without pause, so collections run during the native calls. Collections are caused by
    /// allocation, not forced: an induced collection would end the no-collection region optimiser steps run in.
    /// </summary>
    [Fact]
    public void Training_steps_survive_collections_caused_from_another_thread()
    {
        string data = Path.Combine(Directory.CreateTempSubdirectory("imatching-soak-data-").FullName, "office");
        SyntheticSequence.Render("office", 4, 96, 64, 1, data);
        var sequence = DataSpec.Parse($"tum:{data}").OpenSequence();
        TorchSharp.torch.random.manual_seed(3);
        using var matcher = LearnedModels.CreateDifferentiable(ModelSpec.Parse("alike-t+exp"), new MatcherContext { Queries = "grid:8", RandomInitialization = true });
        var options = TrainingOptions.Pretraining with { Steps = 40, CheckpointEvery = 40, Seed = 5 };
        // Rounds of 40 steps until 100 collections have run during them: how many the allocating thread causes per
        // round depends on how much of a core it gets beside the test run's other work.
        int collections = 0, rounds = 0;
        while (collections <= 100 && rounds < 20)
        {
            var folder = new RunFolder(Directory.CreateTempSubdirectory("imatching-soak-run-").FullName).Start(RunMode.New);
            TrainingSummary? summary = null;
            collections += UnderCollections(forced: false, () =>
                summary = new TrainingLoop(matcher, "alike-t+exp", options).Run(new Pretrainer(sequence, new PretrainerOptions { PairsPerStep = 1 }), folder));
            rounds++;
            Assert.True(summary!.Updates == 40, $"round {rounds}: {summary.Updates} of 40 steps updated the weights");
        }
        output.WriteLine($"{rounds} rounds of 40 steps, {collections} collections meanwhile");
        Assert.All(matcher.Parameters, p => Assert.False(p.isnan().any().item<bool>() || p.isinf().any().item<bool>(), "a parameter is not finite"));
        Assert.True(collections > 100, $"only {collections} collections ran in {rounds} rounds: the soak exercised little");
    }

    /// <summary>Runs <paramref name="work"/> while a second thread forces collections (or allocates garbage); the collections that ran.</summary>
    private static int UnderCollections(bool forced, Action work)
    {
        using var stop = new CancellationTokenSource();
        int before = GC.CollectionCount(0);
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (forced)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
                else
                {
                    GC.KeepAlive(new byte[1 << 20]); // large-object heap: each few allocations trigger a full collection
                    Thread.Yield();
                }
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            work();
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        return GC.CollectionCount(0) - before;
    }

    /// <summary>ALIKE-T with the expectation head on a small TUM frame and a shifted copy: cheap enough for thousands of calls.</summary>
    private sealed class SoakPair : IDisposable
    {
        private readonly DifferentiablePairMatcher _matcher = new(LearnedModels.CreateDifferentiable(
            new ModelSpec("alike-t+exp", MatchingFixtures.AlikeWeights(AlikeVariant.Tiny)), new MatcherContext { Queries = "alike:32" }));
        private readonly OpenCvSharp.Mat _small, _shifted;

        public SoakPair()
        {
            using var image = MatchingFixtures.Read(MatchingFixtures.TumImage);
            _small = image.Resize(new OpenCvSharp.Size(64, 48));
            _shifted = MatchingFixtures.Shifted(_small, 1.5, -0.5);
        }

        /// <summary>Frame indices change every call, so no pair is served from the adapter's feature cache.</summary>
        public int Match(int call) => _matcher.Match(_small, _shifted, 2 * call, 2 * call + 1).Count;

        public void Dispose()
        {
            _matcher.Dispose();
            _small.Dispose();
            _shifted.Dispose();
        }
    }
}

/// <summary>
/// The soak tests run alone: their second thread allocates or collects without pause for the whole process, which
/// exhausts the no-collection budget of another test's optimiser step running beside them (a pretraining test then
/// failed on a freed native scalar inside Adam's step).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "native scalar soak";
}
