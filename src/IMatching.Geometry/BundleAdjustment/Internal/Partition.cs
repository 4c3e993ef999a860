using System.Runtime.ExceptionServices;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>Splits index ranges between workers and runs them; one worker runs inline.</summary>
internal static class Partition
{
    /// <summary>Boundaries [0 = b0 &lt;= b1 &lt;= ... &lt;= bW = n] with about equal total weight per range.</summary>
    public static int[] ByWeight(int n, int workers, Func<int, int> weight)
    {
        var bounds = new int[workers + 1];
        long total = 0;
        for (int i = 0; i < n; i++) total += weight(i);
        long acc = 0;
        int w = 1;
        for (int i = 0; i < n && w < workers; i++)
        {
            acc += weight(i);
            while (w < workers && acc * workers >= total * w) bounds[w++] = i + 1;
        }
        for (; w <= workers; w++) bounds[w] = n;
        return bounds;
    }

    public static int[] Even(int n, int workers)
    {
        var bounds = new int[workers + 1];
        for (int w = 0; w <= workers; w++) bounds[w] = (int)((long)n * w / workers);
        return bounds;
    }

    /// <summary>
    /// Runs body(0) ... body(workers - 1) at once and returns when all have; the caller runs body(0), and any other
    /// that no pool thread has started yet. The first exception any of them threw is rethrown.
    /// </summary>
    /// <remarks>
    /// Not Parallel.For: its first call in a process costs about 30 ms (two large generic methods JIT-compiled, its
    /// event source set up by reflection), more than a cold <c>imatching ba</c> spends solving a clip-sized problem; a
    /// thread-pool work item per worker costs a few microseconds after the pool's own start-up.
    /// </remarks>
    public static void Run(int workers, Action<int> body)
    {
        if (workers == 1) { body(0); return; }
        using var done = new CountdownEvent(workers);
        var items = new Worker[workers];
        for (int w = 0; w < workers; w++) items[w] = new Worker(body, w, done);
        for (int w = 1; w < workers; w++) ThreadPool.UnsafeQueueUserWorkItem(items[w], preferLocal: false);
        // The caller takes every worker no pool thread has claimed, so a busy pool cannot stall the call.
        foreach (var item in items) item.Execute();
        done.Wait();
        foreach (var item in items) item.Error?.Throw();
    }

    /// <summary>One worker's share, run once by whichever thread claims it first.</summary>
    private sealed class Worker(Action<int> body, int index, CountdownEvent done) : IThreadPoolWorkItem
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
