using IMatching.Geometry;

namespace IMatching.Learning;

/// <summary>How the library's C# kernels share work between threads.</summary>
internal static class KernelThreads
{
    /// <summary>Work over items [first, end).</summary>
    public delegate void Range(long first, long end);

    /// <summary>[0, count) cut into <paramref name="threads"/> consecutive ranges of nearly equal length, run at once (<see cref="ForkJoin"/>).</summary>
    public static void Split(long count, int threads, Range work) =>
        ForkJoin.Run(threads, t => work(count * t / threads, count * (t + 1) / threads));
}
