namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>Splits index ranges between the solver's workers (run by <see cref="ForkJoin"/>).</summary>
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
}
