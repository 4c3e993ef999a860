using System.Runtime.InteropServices;

namespace IMatching.Learning;

/// <summary>
/// libtorch allocates tensors with glibc's malloc, which serves each block above its mmap threshold (at most 32 MiB)
/// with freshly mapped pages and unmaps them on free: every large tensor of every step faults in, and has the kernel
/// zero, all its pages again. On a virtual machine that costs more than the arithmetic (measured here: a 1x1
/// convolution 128→129 channels on a 640x480 map, 1.43 s with glibc's defaults, 0.08 s with freed memory kept).
/// <see cref="KeepFreedMemory"/> makes glibc serve large blocks from its heap and keep freed memory for reuse.
/// Process-wide: the resident size then stays near the peak of the run. The CLI and the benchmarks call it first thing.
/// </summary>
public static partial class NativeHeap
{
    private const int TrimThreshold = -1, MmapMax = -4; // glibc's M_TRIM_THRESHOLD and M_MMAP_MAX

    /// <summary>Free memory at the heap's top that glibc may keep before returning it (its largest setting).</summary>
    public const int KeptFreeBytes = int.MaxValue;

    /// <summary>
    /// Large blocks from the heap instead of fresh mappings, and freed memory kept (up to 2 GiB free at the heap's top)
    /// instead of returned to the system. False where the C library is not glibc (nothing is changed there).
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, KeptFreeBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // musl and other C libraries have no mallopt
        }
    }

    [LibraryImport("libc")]
    private static partial int mallopt(int parameter, int value);
}
