using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Eliminates the points from the (Jacobi-scaled, LM-damped) normal equations, giving the reduced
/// camera system S = U - W V^-1 W^T, and recovers the point steps afterwards. Points are split
/// between workers by observation count; each worker owns an accumulator. A point's W is summed per
/// reduced block first, so a point seen many times by one camera (one residual per correspondence end in
/// the mapper) costs one outer product per pair of cameras, not per pair of observations.
/// </summary>
internal sealed class SchurEliminator
{
    private readonly ProgramLayout _layout;
    private readonly BlockJacobian _jacobian;
    private readonly ReducedSystem[] _accumulators;
    private readonly double[][] _rhsAccumulators;
    private readonly Scratch[] _scratch;
    private readonly int[] _workerPointStart;
    private readonly double[] _pointVinv;
    private readonly double[] _pointRhs;
    private readonly double[] _damping;
    private readonly bool[] _workerOk;

    public SchurEliminator(ProgramLayout layout, BlockJacobian jacobian, ReducedSystem system, int workers)
    {
        _layout = layout;
        _jacobian = jacobian;
        _accumulators = new ReducedSystem[workers];
        _rhsAccumulators = new double[workers][];
        _scratch = new Scratch[workers];
        _accumulators[0] = system;
        for (int w = 0; w < workers; w++)
        {
            if (w > 0) _accumulators[w] = system.CreateAccumulator();
            _rhsAccumulators[w] = new double[layout.ReducedSize];
            _scratch[w] = new Scratch(layout);
        }
        _workerPointStart = Partition.ByWeight(layout.NumPoints, workers, p =>
        {
            int k = layout.PointObsStart[p + 1] - layout.PointObsStart[p];
            return k * k + 1;
        });
        _pointVinv = new double[9 * layout.NumPoints];
        _pointRhs = new double[3 * layout.NumPoints];
        _damping = new double[layout.ReducedSize];
        _workerOk = new bool[workers];
    }

    /// <summary>
    /// Builds S (into the system passed at construction) and its right-hand side, damped by
    /// mu * clamp(diag(J^T J)). False if a point's block cannot be inverted.
    /// </summary>
    public bool Eliminate(double mu, double[] diagCamera, double[] diagPoint, double minDiagonal, double maxDiagonal, double[] rhs)
    {
        int workers = _accumulators.Length;
        Partition.Run(workers, w =>
        {
            var acc = _accumulators[w];
            var rhsW = _rhsAccumulators[w];
            acc.Clear();
            Array.Clear(rhsW);
            bool ok = true;
            for (int p = _workerPointStart[w]; p < _workerPointStart[w + 1]; p++)
                ok &= EliminatePoint(p, mu, diagPoint, minDiagonal, maxDiagonal, acc, rhsW, _scratch[w]);
            _workerOk[w] = ok;
        });
        var total = _accumulators[0];
        for (int w = 1; w < workers; w++) total.Add(_accumulators[w]);
        Array.Copy(_rhsAccumulators[0], rhs, rhs.Length);
        for (int w = 1; w < workers; w++)
        {
            var r = _rhsAccumulators[w];
            for (int i = 0; i < rhs.Length; i++) rhs[i] += r[i];
        }
        for (int i = 0; i < _damping.Length; i++) _damping[i] = mu * Math.Clamp(diagCamera[i], minDiagonal, maxDiagonal);
        total.AddToDiagonal(_damping);
        return Array.TrueForAll(_workerOk, ok => ok);
    }

    /// <summary>
    /// Per-worker buffers for one point: per reduced block it touches (a slot), W^T summed over the point's
    /// observations (3 rows of the block's width) and V^-1 W^T transposed (block width x 3).
    /// </summary>
    private sealed class Scratch
    {
        public readonly int Stride;
        public readonly int[] SlotOfBlock;
        public int[] SlotBlock = new int[16];
        public double[] WT, WV;

        public Scratch(ProgramLayout layout)
        {
            Stride = layout.MaxCameraDim;
            SlotOfBlock = new int[layout.NumBlocks];
            Array.Fill(SlotOfBlock, -1);
            WT = new double[SlotBlock.Length * 3 * Stride];
            WV = new double[SlotBlock.Length * 3 * Stride];
        }

        /// <summary>The slot of <paramref name="block"/> for the current point, claimed (and zeroed) on first use.</summary>
        public int Slot(int block, ref int used)
        {
            int slot = SlotOfBlock[block];
            if (slot >= 0) return slot;
            if (used == SlotBlock.Length)
            {
                Array.Resize(ref SlotBlock, 2 * used);
                Array.Resize(ref WT, 2 * WT.Length);
                Array.Resize(ref WV, 2 * WV.Length);
            }
            slot = used++;
            SlotOfBlock[block] = slot;
            SlotBlock[slot] = block;
            WT.AsSpan(3 * Stride * slot, 3 * Stride).Clear();
            return slot;
        }

        public void Release(int used)
        {
            for (int s = 0; s < used; s++) SlotOfBlock[SlotBlock[s]] = -1;
        }
    }

    // Hot kernel: JIT-compiled fully at first call rather than run from ReadyToRun code, which cannot inline the
    // framework's span and vector helpers (README, Against Ceres: the cold CLI solve ran at half speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EliminatePoint(int p, double mu, double[] diagPoint, double minDiagonal, double maxDiagonal, ReducedSystem acc, double[] rhs, Scratch s)
    {
        var l = _layout;
        int start = l.PointObsStart[p], k = l.PointObsStart[p + 1] - start;
        if (k == 0) return true;
        bool free = l.PointFree[p];
        var r = _jacobian.Residuals;
        var e = _jacobian.Point;
        int stride = s.Stride;

        double b0 = 0, b1 = 0, b2 = 0;
        var vinv = _pointVinv.AsSpan(9 * p, 9);
        if (free)
        {
            double v00 = 0, v01 = 0, v02 = 0, v11 = 0, v12 = 0, v22 = 0;
            for (int a = 0; a < k; a++)
            {
                int o = l.PointObsIndex[start + a];
                int eo = 6 * o;
                double e00 = e[eo], e01 = e[eo + 1], e02 = e[eo + 2], e10 = e[eo + 3], e11 = e[eo + 4], e12 = e[eo + 5];
                double r0 = r[2 * o], r1 = r[2 * o + 1];
                v00 += e00 * e00 + e10 * e10; v01 += e00 * e01 + e10 * e11; v02 += e00 * e02 + e10 * e12;
                v11 += e01 * e01 + e11 * e11; v12 += e01 * e02 + e11 * e12; v22 += e02 * e02 + e12 * e12;
                b0 -= e00 * r0 + e10 * r1; b1 -= e01 * r0 + e11 * r1; b2 -= e02 * r0 + e12 * r1;
            }
            v00 += mu * Math.Clamp(diagPoint[3 * p], minDiagonal, maxDiagonal);
            v11 += mu * Math.Clamp(diagPoint[3 * p + 1], minDiagonal, maxDiagonal);
            v22 += mu * Math.Clamp(diagPoint[3 * p + 2], minDiagonal, maxDiagonal);
            double c00 = v11 * v22 - v12 * v12, c01 = v02 * v12 - v01 * v22, c02 = v01 * v12 - v02 * v11;
            double det = v00 * c00 + v01 * c01 + v02 * c02;
            if (!(det > 0) || !double.IsFinite(det)) return false;
            double id = 1 / det;
            vinv[0] = c00 * id; vinv[1] = c01 * id; vinv[2] = c02 * id;
            vinv[3] = vinv[1]; vinv[4] = (v00 * v22 - v02 * v02) * id; vinv[5] = (v01 * v02 - v00 * v12) * id;
            vinv[6] = vinv[2]; vinv[7] = vinv[5]; vinv[8] = (v00 * v11 - v01 * v01) * id;
            _pointRhs[3 * p] = b0; _pointRhs[3 * p + 1] = b1; _pointRhs[3 * p + 2] = b2;
        }

        // Per observation: -F^T r into the right-hand side, F^T F into S, and F^T E summed per block.
        int used = 0;
        for (int a = 0; a < k; a++)
        {
            int o = l.PointObsIndex[start + a];
            int m = l.ObsCameraDim[o];
            var f = _jacobian.CameraRows(o);
            double r0 = r[2 * o], r1 = r[2 * o + 1];
            for (int c = 0; c < m; c++) rhs[_jacobian.CameraColumn(o, c)] -= f[c] * r0 + f[m + c] * r1;
            AddObservationGramian(o, f, m, acc);
            if (!free) continue;
            int eo = 6 * o;
            double e00 = e[eo], e01 = e[eo + 1], e02 = e[eo + 2], e10 = e[eo + 3], e11 = e[eo + 4], e12 = e[eo + 5];
            for (int sa = 0; sa < l.ObsSegmentCount[o]; sa++)
            {
                int block = l.ObsSegmentBlock[2 * o + sa], first = l.ObsSegmentStart[2 * o + sa], dim = l.BlockDim[block];
                int slot = s.Slot(block, ref used);
                var wt = s.WT.AsSpan(3 * stride * slot, 3 * stride);
                for (int c = 0; c < dim; c++)
                {
                    double f0 = f[first + c], f1 = f[m + first + c];
                    wt[c] += f0 * e00 + f1 * e10;
                    wt[stride + c] += f0 * e01 + f1 * e11;
                    wt[2 * stride + c] += f0 * e02 + f1 * e12;
                }
            }
        }
        if (!free) return true;

        // Per block: V^-1 W^T, and its share of the right-hand side, -W V^-1 b.
        for (int slot = 0; slot < used; slot++)
        {
            int block = s.SlotBlock[slot], dim = l.BlockDim[block], offset = l.BlockOffset[block];
            var wt = s.WT.AsSpan(3 * stride * slot, 3 * stride);
            var wv = s.WV.AsSpan(3 * stride * slot, 3 * stride);
            for (int c = 0; c < dim; c++)
            {
                double w0 = wt[c], w1 = wt[stride + c], w2 = wt[2 * stride + c];
                double x0 = w0 * vinv[0] + w1 * vinv[3] + w2 * vinv[6];
                double x1 = w0 * vinv[1] + w1 * vinv[4] + w2 * vinv[7];
                double x2 = w0 * vinv[2] + w1 * vinv[5] + w2 * vinv[8];
                wv[3 * c] = x0; wv[3 * c + 1] = x1; wv[3 * c + 2] = x2;
                rhs[offset + c] -= x0 * b0 + x1 * b1 + x2 * b2;
            }
        }
        // S -= (W V^-1) W^T, per pair of blocks in the lower triangle.
        for (int sa = 0; sa < used; sa++)
        {
            int blockA = s.SlotBlock[sa];
            for (int sb = 0; sb < used; sb++)
            {
                int blockB = s.SlotBlock[sb];
                if (blockA < blockB) continue;
                var dst = acc.Block(blockA, blockB, out int ld);
                SubtractProduct(dst, ld, s, sa, l.BlockDim[blockA], sb, l.BlockDim[blockB]);
            }
        }
        s.Release(used);
        return true;
    }

    /// <summary>F^T F of one observation, into the lower block triangle.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddObservationGramian(int o, ReadOnlySpan<double> f, int m, ReducedSystem acc)
    {
        var l = _layout;
        for (int sa = 0; sa < l.ObsSegmentCount[o]; sa++)
        {
            int blockA = l.ObsSegmentBlock[2 * o + sa], startA = l.ObsSegmentStart[2 * o + sa], dimA = l.BlockDim[blockA];
            for (int sb = 0; sb < l.ObsSegmentCount[o]; sb++)
            {
                int blockB = l.ObsSegmentBlock[2 * o + sb], startB = l.ObsSegmentStart[2 * o + sb], dimB = l.BlockDim[blockB];
                if (blockA < blockB) continue;
                var dst = acc.Block(blockA, blockB, out int ld);
                var g0 = f.Slice(startB, dimB);
                var g1 = f.Slice(m + startB, dimB);
                for (int i = 0; i < dimA; i++)
                {
                    double f0 = f[startA + i], f1 = f[m + startA + i];
                    var row = dst.Slice(i * ld, dimB);
                    for (int j = 0; j < dimB; j++) row[j] += f0 * g0[j] + f1 * g1[j];
                }
            }
        }
    }

    /// <summary>dst[i, j] -= WV_a[i] . W_b[j] for the blocks in slots a and b, vectorised along j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractProduct(Span<double> dst, int ld, Scratch s, int slotA, int dimA, int slotB, int dimB)
    {
        int stride = s.Stride;
        var wv = s.WV.AsSpan(3 * stride * slotA, 3 * dimA);
        var wt = s.WT.AsSpan(3 * stride * slotB, 3 * stride);
        var w0 = wt[..dimB];
        var w1 = wt.Slice(stride, dimB);
        var w2 = wt.Slice(2 * stride, dimB);
        int vc = Vector<double>.Count;
        int vectorEnd = Vector.IsHardwareAccelerated ? dimB - dimB % vc : 0;
        for (int i = 0; i < dimA; i++)
        {
            double x0 = wv[3 * i], x1 = wv[3 * i + 1], x2 = wv[3 * i + 2];
            var row = dst.Slice(i * ld, dimB);
            int j = 0;
            if (vectorEnd > 0)
            {
                var vx0 = new Vector<double>(x0);
                var vx1 = new Vector<double>(x1);
                var vx2 = new Vector<double>(x2);
                var rowV = MemoryMarshal.Cast<double, Vector<double>>(row[..vectorEnd]);
                var w0V = MemoryMarshal.Cast<double, Vector<double>>(w0[..vectorEnd]);
                var w1V = MemoryMarshal.Cast<double, Vector<double>>(w1[..vectorEnd]);
                var w2V = MemoryMarshal.Cast<double, Vector<double>>(w2[..vectorEnd]);
                for (int v = 0; v < rowV.Length; v++) rowV[v] -= vx0 * w0V[v] + vx1 * w1V[v] + vx2 * w2V[v];
                j = vectorEnd;
            }
            for (; j < dimB; j++) row[j] -= x0 * w0[j] + x1 * w1[j] + x2 * w2[j];
        }
    }

    /// <summary>Point steps from the camera step: dp = V^-1 (b_p - sum E^T F dc).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BackSubstitute(ReadOnlySpan<double> cameraStep, Span<double> pointStep)
    {
        var l = _layout;
        var e = _jacobian.Point;
        for (int p = 0; p < l.NumPoints; p++)
        {
            if (!l.PointFree[p]) { pointStep.Slice(3 * p, 3).Clear(); continue; }
            double b0 = _pointRhs[3 * p], b1 = _pointRhs[3 * p + 1], b2 = _pointRhs[3 * p + 2];
            for (int idx = l.PointObsStart[p]; idx < l.PointObsStart[p + 1]; idx++)
            {
                int o = l.PointObsIndex[idx];
                var (y0, y1) = _jacobian.CameraTimes(o, cameraStep);
                int eo = 6 * o;
                b0 -= e[eo] * y0 + e[eo + 3] * y1;
                b1 -= e[eo + 1] * y0 + e[eo + 4] * y1;
                b2 -= e[eo + 2] * y0 + e[eo + 5] * y1;
            }
            var vi = _pointVinv.AsSpan(9 * p, 9);
            pointStep[3 * p] = vi[0] * b0 + vi[1] * b1 + vi[2] * b2;
            pointStep[3 * p + 1] = vi[3] * b0 + vi[4] * b1 + vi[5] * b2;
            pointStep[3 * p + 2] = vi[6] * b0 + vi[7] * b1 + vi[8] * b2;
        }
    }
}
