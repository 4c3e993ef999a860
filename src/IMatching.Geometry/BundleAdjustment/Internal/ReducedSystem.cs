namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The symmetric reduced camera system S after point elimination, stored by its lower block
/// triangle (row block &gt;= column block; block order is column order). Each worker accumulates
/// into its own copy, then the copies are summed.
/// </summary>
internal abstract class ReducedSystem
{
    protected ReducedSystem(int[] blockOffset, int[] blockDim)
    {
        BlockOffset = blockOffset;
        BlockDim = blockDim;
        Size = blockDim.Length == 0 ? 0 : blockOffset[^1] + blockDim[^1];
    }

    public int[] BlockOffset { get; }
    public int[] BlockDim { get; }
    public int Size { get; }

    /// <summary>A zeroed system with the same structure, for one worker.</summary>
    public abstract ReducedSystem CreateAccumulator();

    public abstract void Clear();

    /// <summary>The array that <see cref="Locate"/> indexes.</summary>
    public abstract double[] Values { get; }

    /// <summary>
    /// Where block (rowBlock, colBlock), rowBlock &gt;= colBlock, starts in <see cref="Values"/>: row-major with leading
    /// dimension <paramref name="ld"/>. Diagonal blocks are stored full.
    /// </summary>
    public abstract int Locate(int rowBlock, int colBlock, out int ld);

    public abstract void Add(ReducedSystem other);

    public abstract void AddToDiagonal(ReadOnlySpan<double> diagonal);

    /// <summary>Factorises S (destroying it) and solves S x = rhs. False if S is not positive definite.</summary>
    public abstract bool FactorizeAndSolve(ReadOnlySpan<double> rhs, Span<double> x);

    /// <summary>dst += src elementwise; summing worker accumulators is a pass over their whole storage.</summary>
    protected static void AddInPlace(double[] dst, double[] src)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] += src[i];
    }
}
