using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>The reduced system as a dense row-major matrix (lower triangle used), solved by dense Cholesky.</summary>
internal sealed class DenseReducedSystem(int[] blockOffset, int[] blockDim) : ReducedSystem(blockOffset, blockDim)
{
    private readonly double[] _a = new double[(long)(blockDim.Length == 0 ? 0 : blockOffset[^1] + blockDim[^1]) * (blockDim.Length == 0 ? 0 : blockOffset[^1] + blockDim[^1])];

    public override ReducedSystem CreateAccumulator() => new DenseReducedSystem(BlockOffset, BlockDim);

    public override void Clear() => Array.Clear(_a);

    public override double[] Values => _a;

    public override int Locate(int rowBlock, int colBlock, out int ld)
    {
        ld = Size;
        return BlockOffset[rowBlock] * Size + BlockOffset[colBlock];
    }

    public override void Add(ReducedSystem other)
    {
        AddInPlace(_a, ((DenseReducedSystem)other)._a);
    }

    public override void AddToDiagonal(ReadOnlySpan<double> diagonal)
    {
        int n = Size;
        for (int i = 0; i < n; i++) _a[i * n + i] += diagonal[i];
    }

    public override bool FactorizeAndSolve(ReadOnlySpan<double> rhs, Span<double> x)
    {
        if (!DenseCholesky.Factorize(_a, Size)) return false;
        DenseCholesky.Solve(_a, Size, rhs, x);
        return true;
    }
}
