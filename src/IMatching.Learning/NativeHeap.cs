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
    private const int TrimThreshold = -1, MmapThreshold = -3, MmapMax = -4; // glibc's M_TRIM_THRESHOLD, M_MMAP_THRESHOLD and M_MMAP_MAX

    /// <summary>Free memory at the heap's top that glibc may keep before returning it (its largest setting).</summary>
    public const int KeptFreeBytes = int.MaxValue;

    /// <summary>glibc's default for M_MMAP_MAX, restored when large blocks are mapped after an earlier call turned mappings off.</summary>
    private const int DefaultMappings = 65536;

    /// <summary>The smallest block glibc maps on its own when huge pages are in effect: its largest mmap threshold (64-bit).</summary>
    public const int MappedBlockBytes = 32 << 20;

    /// <summary>Whether <see cref="KeepFreedMemory"/> left blocks of <see cref="MappedBlockBytes"/> and more to mappings of their own.</summary>
    public static bool LargeBlocksMapped { get; private set; }

    /// <summary>
    /// Freed memory kept (up to 2 GiB free at the heap's top) instead of returned to the system, and large blocks from
    /// the heap instead of fresh mappings. With <paramref name="mapLargeBlocks"/> where huge pages are in effect
    /// (<see cref="HugePages.InEffect"/>), blocks of 32 MiB and more (a frame's full-resolution maps and their
    /// gradients) get mappings of their own instead, which fault in 2 MiB at a time and go back to the system when
    /// freed: in the heap those blocks leave holes that later blocks of other sizes only partly fill, so the resident
    /// peak of a 640x480 training step varied with the order of frees by 0.5 GiB over its 1.6 GiB of tensors, and
    /// mapped it follows the tensors. Fresh pages cost the kernel's zeroing, so that is for training, where the peak
    /// matters (about 7 % a step); evaluation keeps its blocks. False where the C library is not glibc (nothing is
    /// changed there).
    /// </summary>
    public static bool KeepFreedMemory(bool mapLargeBlocks = false)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            bool mapped = mapLargeBlocks && HugePages.InEffect();
            bool set = mallopt(TrimThreshold, KeptFreeBytes) == 1
                && (mapped
                    ? mallopt(MmapThreshold, MappedBlockBytes) == 1 && mallopt(MmapMax, DefaultMappings) == 1
                    : mallopt(MmapMax, 0) == 1);
            LargeBlocksMapped = set && mapped;
            return set;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // musl and other C libraries have no mallopt
        }
    }

    [LibraryImport("libc")]
    private static partial int mallopt(int parameter, int value);
}
