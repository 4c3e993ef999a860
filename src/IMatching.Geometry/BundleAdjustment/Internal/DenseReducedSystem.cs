using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The reduced system solved as a dense matrix by dense Cholesky. It accumulates by blocks of the lower block
/// triangle, each row-major and contiguous, and is assembled into the dense row-major matrix (lower triangle used)
/// only to be factorised: the elimination adds into a few blocks per point, and a contiguous 9 x 9 block spans
/// half the cache lines of the same block as rows of the whole matrix (ladybug's is 441 wide and larger than L2).
/// </summary>
internal sealed class DenseReducedSystem : ReducedSystem
{
    /// <summary>Start of block (r, c), c &lt;= r, in <see cref="_blocks"/>, at r (r + 1) / 2 + c.</summary>
    private readonly int[] _blockStart;
    private readonly double[] _blocks;
    // Only the system that gets factorised needs the dense matrix; worker accumulators never allocate it.
    private double[]? _a;

    public DenseReducedSystem(int[] blockOffset, int[] blockDim) : base(blockOffset, blockDim)
    {
        int blocks = blockDim.Length;
        _blockStart = new int[blocks * (blocks + 1) / 2];
        int at = 0;
        for (int r = 0; r < blocks; r++)
            for (int c = 0; c <= r; c++)
            {
                _blockStart[r * (r + 1) / 2 + c] = at;
                at += blockDim[r] * blockDim[c];
            }
        _blocks = new double[at];
    }

    public override ReducedSystem CreateAccumulator() => new DenseReducedSystem(BlockOffset, BlockDim);

    public override void Clear() => Array.Clear(_blocks);

    public override double[] Values => _blocks;

    public override int Locate(int rowBlock, int colBlock, out int ld)
    {
        ld = BlockDim[colBlock];
        return _blockStart[rowBlock * (rowBlock + 1) / 2 + colBlock];
    }

    public override void Add(ReducedSystem other) => AddInPlace(_blocks, ((DenseReducedSystem)other)._blocks);

    public override void AddToDiagonal(ReadOnlySpan<double> diagonal)
    {
        for (int b = 0; b < BlockDim.Length; b++)
        {
            int d = BlockDim[b], at = Locate(b, b, out _), offset = BlockOffset[b];
            for (int i = 0; i < d; i++) _blocks[at + i * (d + 1)] += diagonal[offset + i];
        }
    }

    public override bool FactorizeAndSolve(ReadOnlySpan<double> rhs, Span<double> x)
    {
        int n = Size;
        var a = _a ??= new double[n * n];
        for (int r = 0; r < BlockDim.Length; r++)
        {
            int dr = BlockDim[r], rowOffset = BlockOffset[r];
            for (int c = 0; c <= r; c++)
            {
                int dc = BlockDim[c], at = Locate(r, c, out _), columnOffset = BlockOffset[c];
                for (int i = 0; i < dr; i++)
                    Array.Copy(_blocks, at + i * dc, a, (rowOffset + i) * n + columnOffset, dc);
            }
        }
        if (!DenseCholesky.Factorize(a, n)) return false;
        DenseCholesky.Solve(a, n, rhs, x);
        return true;
    }
}
