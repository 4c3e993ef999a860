using System.Runtime.ExceptionServices;

namespace IMatching.Geometry;

/// <summary>The one way the library's C# kernels share work between threads: a fixed number of shares, run at once.</summary>
/// <remarks>
/// Not Parallel.For: its first call in a process costs about 30 ms (two large generic methods JIT-compiled, its event
/// source set up by reflection), more than a cold <c>imatching ba</c> spends solving a clip-sized problem; a thread-pool
/// work item per share costs a few microseconds after the pool's own start-up.
/// </remarks>
public static class ForkJoin
{
    /// <summary>Work over items [first, end).</summary>
    public delegate void Range(long first, long end);

    /// <summary>[0, count) cut into <paramref name="shares"/> consecutive ranges of nearly equal length, run at once.</summary>
    public static void Split(long count, int shares, Range work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Run(shares, t => work(count * t / shares, count * (t + 1) / shares));
    }

    /// <summary>
    /// Runs body(0) ... body(shares - 1) at once and returns when all have; the caller runs body(0), and any other share
    /// no pool thread has started yet, so a busy pool cannot stall the call. The first exception a share threw is rethrown.
    /// </summary>
    public static void Run(int shares, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (shares < 1) throw new ArgumentOutOfRangeException(nameof(shares), shares, "At least one share.");
        if (shares == 1) { body(0); return; }
        using var done = new CountdownEvent(shares);
        var items = new Share[shares];
        for (int s = 0; s < shares; s++) items[s] = new Share(body, s, done);
        for (int s = 1; s < shares; s++) ThreadPool.UnsafeQueueUserWorkItem(items[s], preferLocal: false);
        foreach (var item in items) item.Execute();
        done.Wait();
        foreach (var item in items) item.Error?.Throw();
    }

    /// <summary>One share, run once by whichever thread claims it first.</summary>
    private sealed class Share(Action<int> body, int index, CountdownEvent done) : IThreadPoolWorkItem
    {
        private int _claimed;

        public ExceptionDispatchInfo? Error { get; private set; }

        public void Execute()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0) return;
            try { body(index); }
            catch (Exception e) { Error = ExceptionDispatchInfo.Capture(e); }
            finally { done.Signal(); }
        }
    }
}
