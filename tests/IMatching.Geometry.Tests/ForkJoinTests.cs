namespace IMatching.Geometry.Tests;

/// <summary>
/// The kernels' fork-join: every share runs once, and a share's exception reaches the caller. The test host
/// keeps the pool's few threads busy (the caller then runs every share itself), so each test lets the pool grow at once,
/// and the class runs alone.
/// </summary>
[Collection(Name)]
public class ForkJoinTests
{
    public const string Name = "fork-join";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void EveryShareRunsExactlyOnce(int workers) => WithFreePoolThreads(() =>
    {
        int caller = Environment.CurrentManagedThreadId;
        bool elsewhere = false;
        // Shares that take a while, so pool threads claim some of them before the caller gets there.
        for (int repeat = 0; repeat < 20; repeat++)
        {
            var runs = new int[workers];
            ForkJoin.Run(workers, w =>
            {
                Thread.Sleep(2);
                if (Environment.CurrentManagedThreadId != caller) elsewhere = true;
                Interlocked.Increment(ref runs[w]);
            });
            Assert.All(runs, count => Assert.Equal(1, count));
        }
        Assert.True(workers == 1 || elsewhere, "no share ran on a pool thread");
    });

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void AShareExceptionIsRethrownAfterTheOthersFinish(int failing) => WithFreePoolThreads(() =>
    {
        var finished = new int[3];
        var error = Assert.Throws<InvalidOperationException>(() => ForkJoin.Run(3, w =>
        {
            if (w == failing) throw new InvalidOperationException($"worker {w} failed");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished[w]);
        }));
        Assert.Equal($"worker {failing} failed", error.Message);
        for (int w = 0; w < 3; w++) Assert.Equal(w == failing ? 0 : 1, finished[w]);
    });

    [Fact]
    public void SplitCoversTheRangeOnceInConsecutiveNearlyEqualPieces() => WithFreePoolThreads(() =>
    {
        foreach (long count in new long[] { 0, 1, 3, 10, 1001 })
            foreach (int shares in new[] { 1, 2, 3, 4 })
            {
                var pieces = new (long First, long End)[shares];
                int called = 0;
                ForkJoin.Split(count, shares, (first, end) =>
                {
                    int piece = Interlocked.Increment(ref called) - 1;
                    pieces[piece] = (first, end);
                });
                Assert.Equal(shares, called);
                var sorted = pieces.OrderBy(p => p.First).ThenBy(p => p.End).ToArray();
                Assert.Equal(0, sorted[0].First);
                Assert.Equal(count, sorted[^1].End);
                for (int i = 0; i < shares; i++)
                {
                    Assert.InRange(sorted[i].End - sorted[i].First, count / shares, count / shares + 1);
                    if (i > 0) Assert.Equal(sorted[i - 1].End, sorted[i].First);
                }
            }
    });

    [Fact]
    public void NoSharesIsAnError()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ForkJoin.Run(0, _ => { }));
        Assert.Equal("shares", error.ParamName);
    }

    private static void WithFreePoolThreads(Action test)
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), io);
        try { test(); }
        finally { ThreadPool.SetMinThreads(workers, io); }
    }
}

[CollectionDefinition(ForkJoinTests.Name, DisableParallelization = true)]
public sealed class ForkJoinCollection;
