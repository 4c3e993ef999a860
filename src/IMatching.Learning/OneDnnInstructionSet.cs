using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace IMatching.Learning;

/// <summary>
/// Keeps libtorch's oneDNN on its AVX2 kernels. Its AVX-512 convolution kernels (libtorch 2.10 on this project's
/// 2-core AMD VM) return wrong weight gradients from the first float32 backward pass of each new convolution shape:
/// ALIKE's first convolution and batch norm differed from the float64 gradient by a tenth of their scale, and were NaN
/// or zero in some processes, while the second identical pass was right. Limited to AVX2 every pass agrees with
/// float64 (<c>OneDnnInstructionSetTests</c>, <c>FrameByFrameRecomputeTests</c>). Set when this assembly loads, before
/// oneDNN reads it; a value the user set (e.g. <c>ONEDNN_MAX_CPU_ISA=ALL</c>) is kept.
/// </summary>
public static class OneDnnInstructionSet
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    public const string Limit = "AVX2";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "oneDNN reads the variable once, at its first primitive: it must be set before any network runs, whoever calls the library.")]
    internal static void LimitToAvx2() => NativeEnvironment.SetDefault(Variable, Limit);
}
