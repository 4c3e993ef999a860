namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The Jacobian's buffers kept per thread from one solve to the next. A mapped clip runs several BAs of about one size,
/// one after another; their buffers are large objects, and fresh large objects at that rate cost a full collection every
/// other clip. Not <c>ArrayPool&lt;double&gt;</c>: its instantiation over double is not precompiled, so a cold
/// ReadyToRun solve would JIT-compile it.
/// </summary>
internal static class JacobianBuffers
{
    /// <summary>A Jacobian holds three buffers; more kept would only hold memory.</summary>
    private const int Kept = 3;
    [ThreadStatic] private static double[]?[]? t_kept;

    /// <summary>An array of at least <paramref name="length"/> elements, the first <paramref name="length"/> zero: the smallest kept one that fits, or a new one.</summary>
    public static double[] Take(int length)
    {
        var kept = t_kept;
        int best = -1;
        if (kept is not null)
            for (int i = 0; i < Kept; i++)
                if (kept[i] is { } a && a.Length >= length && (best < 0 || a.Length < kept[best]!.Length)) best = i;
        if (best < 0) return new double[length];
        var array = kept![best]!;
        kept[best] = null;
        Array.Clear(array, 0, length);
        return array;
    }

    /// <summary>Keeps <paramref name="array"/> for this thread's next solve, in a free place or instead of a smaller kept array.</summary>
    public static void Give(double[] array)
    {
        var kept = t_kept ??= new double[Kept][];
        int slot = -1;
        for (int i = 0; i < Kept; i++)
        {
            if (kept[i] is null) { slot = i; break; }
            if (kept[i]!.Length < array.Length && (slot < 0 || kept[i]!.Length < kept[slot]!.Length)) slot = i;
        }
        if (slot >= 0) kept[slot] = array;
    }
}
