using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace IMatching.Learning;

/// <summary>
/// Even with freed memory kept (<see cref="NativeHeap"/>), a training step faults in millions of 4 KiB pages (the
/// heap grows, glibc trims what is free above 2 GiB, and the kernel reclaims pages it judges cold), and on a virtual
/// machine each fault costs more than the arithmetic on its page. Transparent huge pages serve the heap in 2 MiB pages:
/// measured here, a 640x480 training run faulted 208 thousand times instead of 5.8 million and ran a third faster.
/// Debian's kernels give them only to memory that asks (<c>madvise</c> mode), and glibc (2.35 and later) asks only when
/// the <c>GLIBC_TUNABLES</c> variable holds <c>glibc.malloc.hugetlb=1</c>, which it reads once, at process start. So
/// <see cref="RestartWithHugePages"/> re-executes the process with it, first thing, where that helps.
/// </summary>
public static partial class HugePages
{
    public const string Variable = "GLIBC_TUNABLES";
    private const string Tunable = "glibc.malloc.hugetlb";
    /// <summary>The kernel's transparent-huge-page mode, e.g. <c>always [madvise] never</c>.</summary>
    public const string ModeFile = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>
    /// The <c>GLIBC_TUNABLES</c> value that adds huge pages to <paramref name="tunables"/>, or null when it already says
    /// anything about them (a user's <c>glibc.malloc.hugetlb=0</c> stands, and a restarted process does not restart again).
    /// </summary>
    public static string? TunablesWithHugePages(string? tunables)
    {
        if (string.IsNullOrEmpty(tunables)) return Tunable + "=1";
        return HugetlbValue(tunables) is null ? tunables + ":" + Tunable + "=1" : null;
    }

    /// <summary>Whether <paramref name="tunables"/> has glibc ask for huge pages (<c>glibc.malloc.hugetlb</c> set to 1 or 2).</summary>
    public static bool Asked(string? tunables) => HugetlbValue(tunables) is "1" or "2";

    /// <summary>The value <paramref name="tunables"/> gives <c>glibc.malloc.hugetlb</c>, or null when it says nothing about it.</summary>
    private static string? HugetlbValue(string? tunables)
    {
        if (tunables is null) return null;
        foreach (string entry in tunables.Split(':'))
            if (entry.StartsWith(Tunable + "=", StringComparison.Ordinal)) return entry[(Tunable.Length + 1)..];
        return null;
    }

    /// <summary>
    /// Whether glibc serves this process's heap and its own mappings in huge pages: <c>GLIBC_TUNABLES</c> asks (as
    /// <see cref="RestartWithHugePages"/> sets it), glibc knows the tunable and the kernel offers them.
    /// </summary>
    public static bool InEffect()
    {
        if (!OperatingSystem.IsLinux() || !Asked(Environment.GetEnvironmentVariable(Variable))) return false;
        try
        {
            return Offered();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The kernel offers huge pages and glibc knows the tunable (reads /sys and calls into libc: may throw).</summary>
    private static bool Offered() =>
        File.Exists(ModeFile) && KernelOffers(File.ReadAllText(ModeFile))
        && Marshal.PtrToStringUTF8(gnu_get_libc_version()) is { } version && GlibcKnowsTunable(version);

    /// <summary>Whether the kernel gives huge pages to memory that asks: its mode (<c>always [madvise] never</c>) is not <c>never</c>.</summary>
    public static bool KernelOffers(string modeFileText) =>
        modeFileText.Contains("[always]", StringComparison.Ordinal) || modeFileText.Contains("[madvise]", StringComparison.Ordinal);

    /// <summary>Whether this glibc version knows the tunable (2.35 and later; older ones ignore it).</summary>
    public static bool GlibcKnowsTunable(string glibcVersion)
    {
        string[] parts = glibcVersion.Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            && (major, minor).CompareTo((2, 35)) >= 0;
    }

    /// <summary>
    /// Re-executes this process (same executable, arguments and environment) with huge pages asked of glibc, when it
    /// runs on glibc 2.35+ under a kernel that offers them and <c>GLIBC_TUNABLES</c> does not already decide; returns
    /// (and changes nothing) otherwise, or when the re-execution fails. Call it first thing in <c>Main</c>, before any
    /// output or thread of one's own: the process is replaced.
    /// </summary>
    public static void RestartWithHugePages()
    {
        if (!OperatingSystem.IsLinux()) return;
        string? tunables = TunablesWithHugePages(Environment.GetEnvironmentVariable(Variable));
        if (tunables is null) return;
        try
        {
            if (!Offered()) return;
            string?[] argv = [.. Encoding.UTF8.GetString(File.ReadAllBytes("/proc/self/cmdline")).TrimEnd('\0').Split('\0'), null];
            var environment = new List<string?>();
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
                if ((string)e.Key != Variable) environment.Add($"{e.Key}={e.Value}");
            environment.Add($"{Variable}={tunables}");
            environment.Add(null);
            execve("/proc/self/exe", argv, [.. environment]);
            // Only reached when execve failed: carry on without huge pages.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            // No /proc, no readable mode file, or not glibc: carry on without huge pages.
        }
    }

    [LibraryImport("libc")]
    private static partial IntPtr gnu_get_libc_version();

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execve(string path, string?[] argv, string?[] envp);
}
