using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// A small reduced system kept as the whole row-major matrix (lower triangle used), factorised in place. Its rows
/// are contiguous across blocks, which lets <see cref="SchurEliminator"/> subtract a point's W V^-1 W^T a row at a
/// time in long vector runs instead of block pair by block pair: a clip's 5 poses or the small BAL problem's
/// 6 cameras make blocks of 5 to 9 columns, narrow for the vector kernels. The whole matrix is at most 32 KiB
/// (<see cref="MaxSize"/>), so the per-block layout of <see cref="DenseReducedSystem"/> buys nothing here.
/// </summary>
internal sealed class RowMajorReducedSystem : ReducedSystem
{
    /// <summary>
    /// The largest system kept row-major. A point's row update runs from its first column to the diagonal, zeros
    /// included, so it pays off only while the matrix is narrow against the columns a point touches.
    /// </summary>
    public const int MaxSize = 64;

    private readonly double[] _a;

    public RowMajorReducedSystem(int[] blockOffset, int[] blockDim) : base(blockOffset, blockDim)
    {
        if (Size > MaxSize) throw new ArgumentException($"A row-major reduced system holds at most {MaxSize} columns, not {Size}.");
        _a = new double[Size * Size];
    }

    public override ReducedSystem CreateAccumulator() => new RowMajorReducedSystem(BlockOffset, BlockDim);

    public override void Clear() => Array.Clear(_a);

    public override double[] Values => _a;

    public override int Locate(int rowBlock, int colBlock, out int ld)
    {
        ld = Size;
        return BlockOffset[rowBlock] * Size + BlockOffset[colBlock];
    }

    public override void Add(ReducedSystem other) => AddInPlace(_a, ((RowMajorReducedSystem)other)._a);

    public override void AddToDiagonal(ReadOnlySpan<double> diagonal)
    {
        for (int i = 0; i < Size; i++) _a[i * (Size + 1)] += diagonal[i];
    }

    public override bool FactorizeAndSolve(ReadOnlySpan<double> rhs, Span<double> x)
    {
        if (!DenseCholesky.Factorize(_a, Size)) return false;
        DenseCholesky.Solve(_a, Size, rhs, x);
        return true;
    }
}
