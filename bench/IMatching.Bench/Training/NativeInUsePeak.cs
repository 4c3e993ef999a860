using System.Runtime.InteropServices;

namespace IMatching.Bench.Training;

/// <summary>
/// The most native memory glibc's allocator had handed out (and not yet taken back) while it ran, sampled every few
/// milliseconds from <c>mallinfo2</c>: what libtorch's tensors really held, where the peak working set also counts
/// freed memory the heap keeps and the holes between live blocks.
/// </summary>
internal sealed partial class NativeInUsePeak : IDisposable
{
    private const int PeriodMs = 5;
    private readonly Thread _sampler;
    private volatile bool _stop;
    private long _peakBytes;

    private NativeInUsePeak()
    {
        _sampler = new Thread(Sample) { IsBackground = true, Name = nameof(NativeInUsePeak) };
        _sampler.Start();
    }

    /// <summary>Starts sampling; null where the C library has no mallinfo2 (not glibc 2.33 or later).</summary>
    public static NativeInUsePeak? Start()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            _ = InUseBytes();
            return new NativeInUsePeak();
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The peak so far, in bytes.</summary>
    public long PeakBytes => Math.Max(Interlocked.Read(ref _peakBytes), InUseBytes());

    public void Dispose()
    {
        _stop = true;
        _sampler.Join();
    }

    private void Sample()
    {
        while (!_stop)
        {
            long bytes = InUseBytes();
            if (bytes > Interlocked.Read(ref _peakBytes)) Interlocked.Exchange(ref _peakBytes, bytes);
            Thread.Sleep(PeriodMs);
        }
    }

    /// <summary>Bytes in use: allocated from the heaps (uordblks) plus blocks served by their own mappings (hblkhd).</summary>
    private static long InUseBytes()
    {
        var info = mallinfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        public readonly nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [LibraryImport("libc")]
    private static partial MallInfo2 mallinfo2();
}
