namespace IMatching.Geometry.BundleAdjustment.Internal;

internal sealed class BlockSparseReducedSystem
{
    public static ReducedSystem Create(CompiledProblem cp) => throw new NotImplementedException();
}
