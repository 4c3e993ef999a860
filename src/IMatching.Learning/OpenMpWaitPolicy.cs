using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace IMatching.Learning;

/// <summary>
/// Lets libtorch's idle OpenMP threads sleep instead of spinning. After each parallel operation libgomp's workers spin
/// for a while waiting for the next one; on two cores that spinning held the core that this library's own kernels
/// (window correlations, sampling, the coarse level) and the mapper's threads run on between libtorch's operations,
/// 7.5 % of all samples of a 320x240 training benchmark. Passive, a 320x240 step with 4000 queries took 2.68-2.77 s
/// against 2.72-2.96 s (five rounds each, alternating); 640x480 steps and <c>match</c>, almost all libtorch, were
/// unchanged. Set when this assembly loads, before libtorch loads libgomp, which reads it once; a value the user set
/// (e.g. <c>OMP_WAIT_POLICY=ACTIVE</c>) is kept.
/// </summary>
public static class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";
    public const string Default = "PASSIVE";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "libgomp reads the variable once, when libtorch loads it: it must be set before any tensor exists, whoever calls the library.")]
    internal static void Passive() => NativeEnvironment.SetDefault(Variable, Default);
}
