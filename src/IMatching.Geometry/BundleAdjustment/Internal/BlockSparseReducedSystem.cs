using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The reduced system as a block-sparse matrix, for problems with many cameras. S is accumulated in
/// the original block numbering (lower block triangle, one contiguous array), and scattered at
/// factorisation time into a block Cholesky factor L whose fill-reducing ordering and fill pattern
/// are fixed once at creation. Keeping S apart from L means an original lower pair that the
/// ordering moves above the diagonal still accumulates row-major; only the scatter transposes it.
/// </summary>
internal sealed class BlockSparseReducedSystem : ReducedSystem
{
    private readonly Symbolic _sym;
    private readonly double[] _s;
    // Only the system that gets factorised needs L; worker accumulators never allocate it.
    private double[]? _l;

    private BlockSparseReducedSystem(Symbolic sym) : base(sym.BlockOffset, sym.BlockDim)
    {
        _sym = sym;
        _s = new double[sym.SLength];
    }

    public static ReducedSystem Create(ProgramLayout cp) => FromGraph(cp.BlockOffset, cp.BlockDim, CouplingGraph(cp));

    /// <summary>
    /// A zeroed system whose off-diagonal non-zero blocks are the edges of <paramref name="adjacency"/>
    /// (symmetric, no self loops); diagonal blocks are always present. The sets are consumed by the ordering.
    /// </summary>
    public static BlockSparseReducedSystem FromGraph(int[] blockOffset, int[] blockDim, HashSet<int>[] adjacency) =>
        new(Symbolic.Analyse(blockOffset, blockDim, adjacency));

    public override ReducedSystem CreateAccumulator() => new BlockSparseReducedSystem(_sym);

    public override void Clear() => Array.Clear(_s);

    public override double[] Values => _s;

    public override int Locate(int rowBlock, int colBlock, out int ld)
    {
        var sym = _sym;
        ld = sym.BlockDim[colBlock];
        int e = Array.BinarySearch(sym.SCol, sym.SRowStart[rowBlock], sym.SRowStart[rowBlock + 1] - sym.SRowStart[rowBlock], colBlock);
        if (e < 0) throw new InvalidOperationException($"Block ({rowBlock}, {colBlock}) is not in the reduced system's sparsity pattern.");
        return sym.SOffset[e];
    }

    public override void Add(ReducedSystem other) => AddInPlace(_s, ((BlockSparseReducedSystem)other)._s);

    public override void AddToDiagonal(ReadOnlySpan<double> diagonal)
    {
        var sym = _sym;
        for (int b = 0; b < sym.BlockDim.Length; b++)
        {
            int d = sym.BlockDim[b], at = sym.SOffset[sym.SDiagonal[b]];
            var values = diagonal.Slice(sym.BlockOffset[b], d);
            for (int i = 0; i < d; i++) _s[at + i * (d + 1)] += values[i];
        }
    }

    public override bool FactorizeAndSolve(ReadOnlySpan<double> rhs, Span<double> x)
    {
        _l ??= new double[_sym.LLength];
        if (!Factorize(_l)) return false;
        Solve(_l, rhs, x);
        return true;
    }

    /// <summary>
    /// Block pairs of S that can be non-zero: every pair of blocks seen by a free point's observations
    /// (its elimination couples them all), and for a point held constant only the blocks within one observation.
    /// </summary>
    private static HashSet<int>[] CouplingGraph(ProgramLayout cp)
    {
        var adjacency = new HashSet<int>[cp.NumBlocks];
        for (int b = 0; b < adjacency.Length; b++) adjacency[b] = [];
        var seenBy = new int[cp.NumBlocks];
        Array.Fill(seenBy, -1);
        var blocks = new List<int>();
        for (int p = 0; p < cp.NumPoints; p++)
        {
            int start = cp.PointObsStart[p], end = cp.PointObsStart[p + 1];
            if (!cp.PointFree[p])
            {
                for (int idx = start; idx < end; idx++)
                {
                    int o = cp.PointObsIndex[idx];
                    if (cp.ObsSegmentCount[o] == 2) Link(adjacency, cp.ObsSegmentBlock[2 * o], cp.ObsSegmentBlock[2 * o + 1]);
                }
                continue;
            }
            blocks.Clear();
            for (int idx = start; idx < end; idx++)
            {
                int o = cp.PointObsIndex[idx];
                for (int s = 0; s < cp.ObsSegmentCount[o]; s++)
                {
                    int b = cp.ObsSegmentBlock[2 * o + s];
                    if (seenBy[b] == p) continue;
                    seenBy[b] = p;
                    blocks.Add(b);
                }
            }
            for (int a = 0; a < blocks.Count; a++)
                for (int b = 0; b < a; b++)
                    Link(adjacency, blocks[a], blocks[b]);
        }
        return adjacency;
    }

    private static void Link(HashSet<int>[] adjacency, int a, int b)
    {
        adjacency[a].Add(b);
        adjacency[b].Add(a);
    }

    /// <summary>Scatters S into L (permuted) and runs a right-looking block Cholesky over L's block columns.</summary>
    // Hot kernel: JIT-compiled fully at first call rather than run from ReadyToRun code, which cannot inline the
    // framework's span and vector helpers (README, Against Ceres: the cold CLI solve ran at half speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Factorize(double[] l)
    {
        var sym = _sym;
        var dim = sym.BlockDim;
        Array.Clear(l);
        for (int r = 0; r < dim.Length; r++)
        {
            int dr = dim[r];
            for (int e = sym.SRowStart[r]; e < sym.SRowStart[r + 1]; e++)
            {
                int dc = dim[sym.SCol[e]], dst = sym.SToL[e];
                var src = _s.AsSpan(sym.SOffset[e], dr * dc);
                if (!sym.STransposed[e])
                {
                    src.CopyTo(l.AsSpan(dst));
                    continue;
                }
                for (int i = 0; i < dr; i++)
                    for (int j = 0; j < dc; j++)
                        l[dst + j * dr + i] = src[i * dc + j];
            }
        }

        var pdim = sym.PDim;
        var transposed = new double[sym.MaxBlockDim * sym.MaxBlockDim];
        for (int k = 0; k < pdim.Length; k++)
        {
            int dk = pdim[k], top = sym.LDiagonal[k];
            var diagonal = l.AsSpan(top, dk * dk);
            if (!DenseCholesky.Factorize(diagonal, dk)) return false;
            // Panels are stored back to back, so the off-diagonal rows run to the next panel.
            int panelEnd = k + 1 < pdim.Length ? sym.LDiagonal[k + 1] : sym.LLength;
            SolveRowsAgainstTranspose(diagonal, dk, l.AsSpan(top + dk * dk, panelEnd - top - dk * dk));
            int end = sym.LColStart[k + 1];

            // Column k's update touches only pairs of its own rows, all of which are in L's pattern
            // (eliminating k made them a clique); walking column j's sorted rows in step finds each target.
            for (int a = sym.LColStart[k]; a < end; a++)
            {
                int j = sym.LRow[a], dj = pdim[j];
                var ljkT = transposed.AsSpan(0, dk * dj);
                Transpose(l.AsSpan(sym.LBlockOffset[a], dj * dk), dj, dk, ljkT);
                SubtractABt(l.AsSpan(sym.LDiagonal[j], dj * dj), l.AsSpan(sym.LBlockOffset[a], dj * dk), ljkT, dj, dj, dk, lowerOnly: true);
                int p = sym.LColStart[j];
                for (int b = a + 1; b < end; b++)
                {
                    int i = sym.LRow[b], di = pdim[i];
                    while (sym.LRow[p] != i) p++;
                    SubtractABt(l.AsSpan(sym.LBlockOffset[p], di * dj), l.AsSpan(sym.LBlockOffset[b], di * dk), ljkT, di, dj, dk, lowerOnly: false);
                }
            }
        }
        return true;
    }

    /// <summary>L L^T x = rhs, working in x directly: a permuted block is addressed through its original offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Solve(double[] l, ReadOnlySpan<double> rhs, Span<double> x)
    {
        var sym = _sym;
        var pdim = sym.PDim;
        rhs.CopyTo(x);
        for (int j = 0; j < pdim.Length; j++)
        {
            int dj = pdim[j];
            var xj = x.Slice(sym.PBase[j], dj);
            var ljj = l.AsSpan(sym.LDiagonal[j], dj * dj);
            for (int r = 0; r < dj; r++)
                xj[r] = (xj[r] - VectorKernels.Dot(ljj.Slice(r * dj, r), xj[..r])) / ljj[r * dj + r];
            for (int a = sym.LColStart[j]; a < sym.LColStart[j + 1]; a++)
            {
                int i = sym.LRow[a], di = pdim[i];
                var xi = x.Slice(sym.PBase[i], di);
                var lij = l.AsSpan(sym.LBlockOffset[a], di * dj);
                for (int r = 0; r < di; r++) xi[r] -= VectorKernels.Dot(lij.Slice(r * dj, dj), xj);
            }
        }
        for (int j = pdim.Length - 1; j >= 0; j--)
        {
            int dj = pdim[j];
            var xj = x.Slice(sym.PBase[j], dj);
            for (int a = sym.LColStart[j]; a < sym.LColStart[j + 1]; a++)
            {
                int i = sym.LRow[a], di = pdim[i];
                var xi = x.Slice(sym.PBase[i], di);
                var lij = l.AsSpan(sym.LBlockOffset[a], di * dj);
                for (int r = 0; r < di; r++)
                {
                    double v = xi[r];
                    var row = lij.Slice(r * dj, dj);
                    for (int c = 0; c < dj; c++) xj[c] -= row[c] * v;
                }
            }
            var ljj = l.AsSpan(sym.LDiagonal[j], dj * dj);
            for (int r = dj - 1; r >= 0; r--)
            {
                double v = xj[r];
                for (int c = r + 1; c < dj; c++) v -= ljj[c * dj + r] * xj[c];
                xj[r] = v / ljj[r * dj + r];
            }
        }
    }

    /// <summary>Each row y of <paramref name="rows"/> (width d) becomes y L^-T, i.e. the rows of A L^-T.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SolveRowsAgainstTranspose(ReadOnlySpan<double> lower, int d, Span<double> rows)
    {
        for (int start = 0; start < rows.Length; start += d)
        {
            var y = rows.Slice(start, d);
            for (int c = 0; c < d; c++)
                y[c] = (y[c] - VectorKernels.Dot(lower.Slice(c * d, c), y[..c])) / lower[c * d + c];
        }
    }

    private static void Transpose(ReadOnlySpan<double> a, int rows, int cols, Span<double> at)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                at[j * rows + i] = a[i * cols + j];
    }

    /// <summary>
    /// C (m x n) -= A (m x k) B^T given B^T (k x n), all row-major and packed; only j &lt;= i when
    /// <paramref name="lowerOnly"/>. Rows of C are updated as whole vectors (axpy with rows of B^T),
    /// which for blocks of 3 to 15 avoids a horizontal sum per entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractABt(Span<double> c, ReadOnlySpan<double> a, ReadOnlySpan<double> bt, int m, int n, int k, bool lowerOnly)
    {
        int vc = Vector<double>.Count;
        for (int i = 0; i < m; i++)
        {
            var ci = c.Slice(i * n, lowerOnly ? i + 1 : n);
            int len = ci.Length;
            int vectorEnd = Vector.IsHardwareAccelerated ? len - len % vc : 0;
            var ciV = MemoryMarshal.Cast<double, Vector<double>>(ci[..vectorEnd]);
            var ai = a.Slice(i * k, k);
            for (int t = 0; t < k; t++)
            {
                double s = ai[t];
                var row = bt.Slice(t * n, len);
                if (vectorEnd > 0)
                {
                    var sv = new Vector<double>(s);
                    var rowV = MemoryMarshal.Cast<double, Vector<double>>(row[..vectorEnd]);
                    for (int v = 0; v < ciV.Length; v++) ciV[v] -= sv * rowV[v];
                }
                for (int j = vectorEnd; j < len; j++) ci[j] -= s * row[j];
            }
        }
    }

    /// <summary>Structure shared by a system and its accumulators: S's block layout, the ordering, and L's fill pattern.</summary>
    private sealed class Symbolic
    {
        public required int[] BlockOffset, BlockDim;
        /// <summary>S by block rows in original numbering: columns c &lt;= r sorted, each block row-major at SOffset with ld = dim(c).</summary>
        public required int[] SRowStart, SCol, SOffset, SDiagonal;
        public required int SLength;
        /// <summary>Per S block: where it starts in L, and whether the ordering put it above the diagonal (stored transposed).</summary>
        public required int[] SToL;
        public required bool[] STransposed;
        /// <summary>Per permuted block column j: its dimension and the original offset of its unknowns.</summary>
        public required int[] PDim, PBase;
        /// <summary>
        /// L by block columns in elimination order. Column j is one packed panel at LDiagonal[j]: the
        /// diagonal block, then the blocks of rows LRow[LColStart[j]..] (ascending), each row-major with ld = PDim[j].
        /// </summary>
        public required int[] LColStart, LRow, LBlockOffset, LDiagonal;
        public required int LLength;
        public required int MaxBlockDim;

        public static Symbolic Analyse(int[] blockOffset, int[] blockDim, HashSet<int>[] adjacency)
        {
            int nb = blockDim.Length;
            var sRowStart = new int[nb + 1];
            var sCol = new List<int>();
            var sOffset = new List<int>();
            var sDiagonal = new int[nb];
            int sLength = 0;
            for (int r = 0; r < nb; r++)
            {
                var cols = adjacency[r].Where(c => c < r).Append(r).Order();
                foreach (int c in cols)
                {
                    if (c == r) sDiagonal[r] = sCol.Count;
                    sCol.Add(c);
                    sOffset.Add(sLength);
                    sLength += blockDim[r] * blockDim[c];
                }
                sRowStart[r + 1] = sCol.Count;
            }

            var (order, pattern) = MinimumDegree(blockDim, adjacency);
            var position = new int[nb];
            for (int j = 0; j < nb; j++) position[order[j]] = j;
            var pdim = new int[nb];
            var pbase = new int[nb];
            var lColStart = new int[nb + 1];
            var lRow = new List<int>();
            var lBlockOffset = new List<int>();
            var lDiagonal = new int[nb];
            int lLength = 0;
            for (int j = 0; j < nb; j++)
            {
                int d = blockDim[order[j]];
                pdim[j] = d;
                pbase[j] = blockOffset[order[j]];
                lDiagonal[j] = lLength;
                lLength += d * d;
                foreach (int i in pattern[j].Select(b => position[b]).Order())
                {
                    lRow.Add(i);
                    lBlockOffset.Add(lLength);
                    lLength += blockDim[order[i]] * d;
                }
                lColStart[j + 1] = lRow.Count;
            }
            var lRowArray = lRow.ToArray();

            var sToL = new int[sCol.Count];
            var sTransposed = new bool[sCol.Count];
            for (int r = 0; r < nb; r++)
            {
                for (int e = sRowStart[r]; e < sRowStart[r + 1]; e++)
                {
                    int pr = position[r], pc = position[sCol[e]];
                    if (pr == pc) { sToL[e] = lDiagonal[pr]; continue; }
                    sTransposed[e] = pr < pc;
                    int row = Math.Max(pr, pc), col = Math.Min(pr, pc);
                    int at = Array.BinarySearch(lRowArray, lColStart[col], lColStart[col + 1] - lColStart[col], row);
                    sToL[e] = lBlockOffset[at];
                }
            }

            return new Symbolic
            {
                BlockOffset = blockOffset,
                BlockDim = blockDim,
                SRowStart = sRowStart,
                SCol = sCol.ToArray(),
                SOffset = sOffset.ToArray(),
                SDiagonal = sDiagonal,
                SLength = sLength,
                SToL = sToL,
                STransposed = sTransposed,
                PDim = pdim,
                PBase = pbase,
                LColStart = lColStart,
                LRow = lRowArray,
                LBlockOffset = lBlockOffset.ToArray(),
                LDiagonal = lDiagonal,
                LLength = lLength,
                MaxBlockDim = blockDim.Length == 0 ? 0 : blockDim.Max(),
            };
        }

        /// <summary>
        /// Minimum degree on the block graph, degree weighted by block dimension (scalar columns), by
        /// explicit elimination: a block's neighbours when it is eliminated are exactly the rows of its
        /// column of L, so the same pass yields the fill pattern. Returns the order and, per position,
        /// the original blocks of that column's rows. Consumes <paramref name="adjacency"/>.
        /// </summary>
        private static (int[] Order, int[][] Pattern) MinimumDegree(int[] blockDim, HashSet<int>[] adjacency)
        {
            int nb = blockDim.Length;
            var degree = new long[nb];
            var queue = new PriorityQueue<int, (long Degree, int Block)>(nb);
            for (int b = 0; b < nb; b++)
            {
                foreach (int u in adjacency[b]) degree[b] += blockDim[u];
                queue.Enqueue(b, (degree[b], b));
            }
            var eliminated = new bool[nb];
            var order = new int[nb];
            var pattern = new int[nb][];
            for (int j = 0; j < nb; j++)
            {
                int v;
                (long Degree, int Block) key;
                // Entries go stale when a degree changes; the current one was queued at that point, so one always remains.
                do queue.TryDequeue(out v, out key);
                while (eliminated[v] || key.Degree != degree[v]);
                eliminated[v] = true;
                order[j] = v;
                var neighbours = adjacency[v].ToArray();
                pattern[j] = neighbours;
                adjacency[v] = [];
                foreach (int u in neighbours)
                {
                    adjacency[u].Remove(v);
                    degree[u] -= blockDim[v];
                }
                foreach (int u in neighbours)
                {
                    foreach (int w in neighbours)
                        if (w != u && adjacency[u].Add(w)) degree[u] += blockDim[w];
                    queue.Enqueue(u, (degree[u], u));
                }
            }
            return (order, pattern);
        }
    }
}
