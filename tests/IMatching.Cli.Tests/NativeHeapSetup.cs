using System.Runtime.CompilerServices;

namespace IMatching.Cli.Tests;

internal static class NativeHeapSetup
{
    /// <summary>The tests run tensors as the CLI does: with glibc keeping freed memory (see NativeHeap), which is also several times faster here.</summary>
#pragma warning disable CA2255 // a test assembly's process-wide setting, made once before any test
    [ModuleInitializer]
    internal static void KeepFreedMemory() => IMatching.Learning.NativeHeap.KeepFreedMemory();
#pragma warning restore CA2255
}
