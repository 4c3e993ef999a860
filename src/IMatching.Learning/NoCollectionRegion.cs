using System.Runtime;

namespace IMatching.Learning;

/// <summary>
/// Runs TorchSharp code that makes its own native scalars and leaves them to the finalizer (every optimiser's
/// <c>step</c> in 0.107) with garbage collection held off, so no scalar can be finalised, and freed, while a native
/// call still reads it. Such code must allocate little managed memory: a region exceeding the budget ends early.
/// </summary>
public static class NoCollectionRegion
{
    /// <summary>Managed allocation allowed inside (an optimiser step over a few hundred tensors allocates well under 1 MB).</summary>
    private const long BudgetBytes = 32L << 20;

    /// <summary>The region is process-wide: two threads (e.g. two trainings in one process) take turns.</summary>
    private static readonly Lock Gate = new();

    /// <summary>
    /// Runs <paramref name="action"/> with no garbage collection; false if the region could not be held for all of it
    /// (other threads allocated beyond the budget meanwhile), in which case it ran with collections as usual.
    /// </summary>
    public static bool Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (Gate) return RunAlone(action);
    }

    private static bool RunAlone(Action action)
    {
        bool started = GC.TryStartNoGCRegion(BudgetBytes);
        bool held = false;
        try
        {
            action();
        }
        finally
        {
            // A region that ran out of budget has already ended (a collection ran): ending it again would throw.
            held = started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;
            if (held) GC.EndNoGCRegion();
        }
        return held;
    }
}
