using System.Runtime.InteropServices;

namespace IMatching.Learning;

/// <summary>
/// The C library's environment, which native code (libtorch, oneDNN, OpenMP) reads with getenv: .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only the managed copy.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> unless the process already has it (a value the user chose is kept); Linux x64 only.</summary>
    public static void SetDefault(string name, string value)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        try
        {
            setenv(name, value, overwrite: 0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without setenv: nothing to do.
        }
    }

    /// <summary>The native value of <paramref name="name"/>, or null.</summary>
    public static string? Get(string name) => Marshal.PtrToStringUTF8(getenv(name));

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
