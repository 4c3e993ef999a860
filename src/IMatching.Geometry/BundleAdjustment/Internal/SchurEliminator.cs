using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Eliminates the points from the (Jacobi-scaled, LM-damped) normal equations, giving the reduced
/// camera system S = U - W V^-1 W^T, and recovers the point steps afterwards. Points are split
/// between workers by observation count; each worker owns an accumulator. A point's W is summed per
/// reduced block first, so a point seen many times by one camera (one residual per correspondence end in
/// the mapper) costs one outer product per pair of cameras, not per pair of observations. Into a
/// <see cref="RowMajorReducedSystem"/> the point's W^T is kept across whole rows and subtracted a row at a time.
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
        // A row-major system takes W^T over whole rows (Scratch.RowWise).
        bool rowWise = system is RowMajorReducedSystem;
        for (int w = 0; w < workers; w++)
        {
            if (w > 0) _accumulators[w] = system.CreateAccumulator();
            _rhsAccumulators[w] = new double[layout.ReducedSize];
            _scratch[w] = new Scratch(layout, rowWise);
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
        ForkJoin.Run(workers, w =>
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
        for (int i = 0; i < _damping.Length; i++) _damping[i] = mu * Math.Min(Math.Max(diagCamera[i], minDiagonal), maxDiagonal);
        total.AddToDiagonal(_damping);
        foreach (bool ok in _workerOk) if (!ok) return false;
        return true;
    }

    /// <summary>
    /// Per-worker buffers for one point: per reduced block it touches (a slot), W^T summed over the point's
    /// observations (3 rows of the block's width) and V^-1 W^T (laid out the same way). Row-wise (a row-major
    /// system), W^T and V^-1 W^T are instead 3 rows as wide as the whole system, zero outside the point's blocks
    /// between points, each block at its own columns; a slot then only lists a touched block.
    /// </summary>
    private sealed class Scratch
    {
        public readonly int Stride;
        public readonly bool RowWise;
        private readonly int[] _blockOffset, _blockDim;
        public readonly int[] SlotOfBlock;
        public int[] SlotBlock = new int[16];
        public double[] WT, WV;
        /// <summary>Row-wise: the first column of the point's blocks.</summary>
        public int FirstColumn;

        public Scratch(ProgramLayout layout, bool rowWise)
        {
            RowWise = rowWise;
            (_blockOffset, _blockDim) = (layout.BlockOffset, layout.BlockDim);
            Stride = rowWise ? layout.ReducedSize : layout.MaxCameraDim;
            SlotOfBlock = ProgramLayout.MinusOnes(layout.NumBlocks);
            int rows = rowWise ? 3 * Stride : SlotBlock.Length * 3 * Stride;
            WT = new double[rows];
            WV = new double[rows];
            FirstColumn = int.MaxValue;
        }

        /// <summary>Where the 3 x dim W^T of <paramref name="block"/> starts for the current point (row stride <see cref="Stride"/>), claimed (zeroed) on first use.</summary>
        public int Slot(int block, ref int used)
        {
            int slot = SlotOfBlock[block];
            if (slot < 0)
            {
                if (used == SlotBlock.Length)
                {
                    Array.Resize(ref SlotBlock, 2 * used);
                    if (!RowWise)
                    {
                        Array.Resize(ref WT, 2 * WT.Length);
                        Array.Resize(ref WV, 2 * WV.Length);
                    }
                }
                slot = used++;
                SlotOfBlock[block] = slot;
                SlotBlock[slot] = block;
                if (RowWise) FirstColumn = Math.Min(FirstColumn, _blockOffset[block]);
                else Array.Clear(WT, 3 * Stride * slot, 3 * Stride);
            }
            return RowWise ? _blockOffset[block] : 3 * Stride * slot;
        }

        /// <summary>Ends the point: row-wise, its blocks' columns of W^T are zeroed again.</summary>
        public void Release(int used)
        {
            for (int s = 0; s < used; s++)
            {
                int block = SlotBlock[s];
                SlotOfBlock[block] = -1;
                if (!RowWise) continue;
                for (int k = 0; k < 3; k++) Array.Clear(WT, k * Stride + _blockOffset[block], _blockDim[block]);
            }
            FirstColumn = int.MaxValue;
        }
    }

    private bool EliminatePoint(int p, double mu, double[] diagPoint, double minDiagonal, double maxDiagonal, ReducedSystem acc, double[] rhs, Scratch s)
    {
        var l = _layout;
        int start = l.PointObsStart[p], k = l.PointObsStart[p + 1] - start;
        if (k == 0) return true;
        bool free = l.PointFree[p];
        var r = _jacobian.Residuals;
        var e = _jacobian.Point;
        var f = _jacobian.Camera;
        int cameraStride = _jacobian.CameraStride;
        int stride = s.Stride;
        var wt = s.WT;

        double b0 = 0, b1 = 0, b2 = 0;
        var vinv = _pointVinv;
        int vi = 9 * p;
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
            v00 += mu * Math.Min(Math.Max(diagPoint[3 * p], minDiagonal), maxDiagonal);
            v11 += mu * Math.Min(Math.Max(diagPoint[3 * p + 1], minDiagonal), maxDiagonal);
            v22 += mu * Math.Min(Math.Max(diagPoint[3 * p + 2], minDiagonal), maxDiagonal);
            double c00 = v11 * v22 - v12 * v12, c01 = v02 * v12 - v01 * v22, c02 = v01 * v12 - v02 * v11;
            double det = v00 * c00 + v01 * c01 + v02 * c02;
            if (!(det > 0 && det < double.PositiveInfinity)) return false; // not positive or not finite; double.IsFinite would be a call in ReadyToRun code
            double id = 1 / det;
            vinv[vi] = c00 * id; vinv[vi + 1] = c01 * id; vinv[vi + 2] = c02 * id;
            vinv[vi + 3] = vinv[vi + 1]; vinv[vi + 4] = (v00 * v22 - v02 * v02) * id; vinv[vi + 5] = (v01 * v02 - v00 * v12) * id;
            vinv[vi + 6] = vinv[vi + 2]; vinv[vi + 7] = vinv[vi + 5]; vinv[vi + 8] = (v00 * v11 - v01 * v01) * id;
            _pointRhs[3 * p] = b0; _pointRhs[3 * p + 1] = b1; _pointRhs[3 * p + 2] = b2;
        }

        // Per observation: -F^T r into the right-hand side, F^T F into S, and F^T E summed per block.
        int used = 0;
        for (int a = 0; a < k; a++)
        {
            int o = l.PointObsIndex[start + a];
            int m = l.ObsCameraDim[o], dp = l.ObsPoseDim[o], at = cameraStride * o;
            double r0 = r[2 * o], r1 = r[2 * o + 1];
            if (dp > 0) VectorKernels.SubtractScaledPair(ref rhs[l.ObsPoseColumn[o]], r0, ref f[at], r1, ref f[at + m], dp);
            if (m > dp) VectorKernels.SubtractScaledPair(ref rhs[l.ObsIntrinsicsColumn[o]], r0, ref f[at + dp], r1, ref f[at + m + dp], m - dp);
            AddObservationGramian(o, f, at, m, acc);
            if (!free) continue;
            int eo = 6 * o;
            double e00 = e[eo], e01 = e[eo + 1], e02 = e[eo + 2], e10 = e[eo + 3], e11 = e[eo + 4], e12 = e[eo + 5];
            for (int sa = 0; sa < l.ObsSegmentCount[o]; sa++)
            {
                int block = l.ObsSegmentBlock[2 * o + sa], first = at + l.ObsSegmentStart[2 * o + sa], dim = l.BlockDim[block];
                int w0 = s.Slot(block, ref used);
                wt = s.WT; // Slot may have grown the scratch
                VectorKernels.AddScaledPair(ref wt[w0], e00, ref f[first], e10, ref f[m + first], dim);
                VectorKernels.AddScaledPair(ref wt[w0 + stride], e01, ref f[first], e11, ref f[m + first], dim);
                VectorKernels.AddScaledPair(ref wt[w0 + 2 * stride], e02, ref f[first], e12, ref f[m + first], dim);
            }
        }
        if (!free) return true;

        // Per block: (V^-1 W^T) as 3 rows like W^T (V^-1 is symmetric), and its share of the right-hand side, -W V^-1 b.
        var wv = s.WV;
        for (int slot = 0; slot < used; slot++)
        {
            int block = s.SlotBlock[slot], dim = l.BlockDim[block], offset = l.BlockOffset[block];
            int w0 = s.RowWise ? offset : 3 * stride * slot, w1 = w0 + stride, w2 = w0 + 2 * stride;
            VectorKernels.ScaledTriple(ref wv[w0], vinv[vi], ref wt[w0], vinv[vi + 3], ref wt[w1], vinv[vi + 6], ref wt[w2], dim);
            VectorKernels.ScaledTriple(ref wv[w1], vinv[vi + 1], ref wt[w0], vinv[vi + 4], ref wt[w1], vinv[vi + 7], ref wt[w2], dim);
            VectorKernels.ScaledTriple(ref wv[w2], vinv[vi + 2], ref wt[w0], vinv[vi + 5], ref wt[w1], vinv[vi + 8], ref wt[w2], dim);
            VectorKernels.SubtractScaledTriple(ref rhs[offset], b0, ref wv[w0], b1, ref wv[w1], b2, ref wv[w2], dim);
        }
        if (s.RowWise) SubtractRows(acc.Values, s, used);
        else
        {
            // S -= (W V^-1) W^T, per pair of blocks in the lower triangle.
            var values = acc.Values;
            for (int sa = 0; sa < used; sa++)
            {
                int blockA = s.SlotBlock[sa];
                for (int sb = 0; sb < used; sb++)
                {
                    int blockB = s.SlotBlock[sb];
                    if (blockA < blockB) continue;
                    int at = acc.Locate(blockA, blockB, out int ld);
                    SubtractProduct(values, at, ld, s, sa, l.BlockDim[blockA], sb, l.BlockDim[blockB]);
                }
            }
        }
        s.Release(used);
        return true;
    }

    /// <summary>
    /// S -= (W V^-1) W^T on a row-major S (width = the scratch's stride), over each of the point's rows from its first
    /// column to the diagonal: W^T is zero between its blocks, so one vector run replaces the block pairs. Every entry
    /// gets the arithmetic of the block-pair order.
    /// </summary>
    private void SubtractRows(double[] a, Scratch s, int used)
    {
        int n = s.Stride, first = s.FirstColumn;
        var wv = s.WV;
        var wt = s.WT;
        for (int slot = 0; slot < used; slot++)
        {
            int block = s.SlotBlock[slot], offset = _layout.BlockOffset[block];
            for (int i = offset; i < offset + _layout.BlockDim[block]; i++)
                VectorKernels.SubtractScaledTriple(ref a[i * n + first], wv[i], ref wt[first], wv[n + i], ref wt[n + first], wv[2 * n + i], ref wt[2 * n + first], i + 1 - first);
        }
    }

    /// <summary>F^T F of one observation (its camera block at <paramref name="at"/> in <paramref name="f"/>), into the lower block triangle.</summary>
    private void AddObservationGramian(int o, double[] f, int at, int m, ReducedSystem acc)
    {
        var l = _layout;
        var values = acc.Values;
        for (int sa = 0; sa < l.ObsSegmentCount[o]; sa++)
        {
            int blockA = l.ObsSegmentBlock[2 * o + sa], startA = at + l.ObsSegmentStart[2 * o + sa], dimA = l.BlockDim[blockA];
            for (int sb = 0; sb < l.ObsSegmentCount[o]; sb++)
            {
                int blockB = l.ObsSegmentBlock[2 * o + sb], startB = at + l.ObsSegmentStart[2 * o + sb], dimB = l.BlockDim[blockB];
                if (blockA < blockB) continue;
                int dst = acc.Locate(blockA, blockB, out int ld);
                for (int i = 0; i < dimA; i++)
                    VectorKernels.AddScaledPair(ref values[dst + i * ld], f[startA + i], ref f[startB], f[m + startA + i], ref f[m + startB], dimB);
            }
        }
    }

    /// <summary>dst[i, j] -= WV_a[i] . W_b[j] for the blocks in slots a and b.</summary>
    private static void SubtractProduct(double[] dst, int at, int ld, Scratch s, int slotA, int dimA, int slotB, int dimB)
    {
        int stride = s.Stride;
        var wv = s.WV;
        var wt = s.WT;
        int a0 = 3 * stride * slotA, b0 = 3 * stride * slotB;
        int i = 0;
        for (; i + 2 <= dimA; i += 2)
            VectorKernels.SubtractScaledTriple2(
                ref dst[at + i * ld], wv[a0 + i], wv[a0 + stride + i], wv[a0 + 2 * stride + i],
                ref dst[at + (i + 1) * ld], wv[a0 + i + 1], wv[a0 + stride + i + 1], wv[a0 + 2 * stride + i + 1],
                ref wt[b0], ref wt[b0 + stride], ref wt[b0 + 2 * stride], dimB);
        if (i < dimA)
            VectorKernels.SubtractScaledTriple(ref dst[at + i * ld], wv[a0 + i], ref wt[b0], wv[a0 + stride + i], ref wt[b0 + stride], wv[a0 + 2 * stride + i], ref wt[b0 + 2 * stride], dimB);
    }

    /// <summary>Point steps from the camera step: dp = V^-1 (b_p - sum E^T F dc); each worker takes the points it eliminated.</summary>
    public void BackSubstitute(double[] cameraStep, double[] pointStep) =>
        ForkJoin.Run(_accumulators.Length, w => BackSubstitute(cameraStep, pointStep, _workerPointStart[w], _workerPointStart[w + 1]));

    private void BackSubstitute(double[] cameraStep, double[] pointStep, int fromPoint, int toPoint)
    {
        var l = _layout;
        var e = _jacobian.Point;
        var vinv = _pointVinv;
        for (int p = fromPoint; p < toPoint; p++)
        {
            if (!l.PointFree[p]) { pointStep[3 * p] = pointStep[3 * p + 1] = pointStep[3 * p + 2] = 0; continue; }
            double b0 = _pointRhs[3 * p], b1 = _pointRhs[3 * p + 1], b2 = _pointRhs[3 * p + 2];
            for (int idx = l.PointObsStart[p]; idx < l.PointObsStart[p + 1]; idx++)
            {
                int o = l.PointObsIndex[idx];
                _jacobian.CameraTimes(o, cameraStep, out double y0, out double y1);
                int eo = 6 * o;
                b0 -= e[eo] * y0 + e[eo + 3] * y1;
                b1 -= e[eo + 1] * y0 + e[eo + 4] * y1;
                b2 -= e[eo + 2] * y0 + e[eo + 5] * y1;
            }
            int vi = 9 * p;
            pointStep[3 * p] = vinv[vi] * b0 + vinv[vi + 1] * b1 + vinv[vi + 2] * b2;
            pointStep[3 * p + 1] = vinv[vi + 3] * b0 + vinv[vi + 4] * b1 + vinv[vi + 5] * b2;
            pointStep[3 * p + 2] = vinv[vi + 6] * b0 + vinv[vi + 7] * b1 + vinv[vi + 8] * b2;
        }
    }
}
