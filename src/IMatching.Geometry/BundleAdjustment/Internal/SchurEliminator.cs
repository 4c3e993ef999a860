using System.Numerics;
using System.Runtime.InteropServices;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Eliminates the points from the (Jacobi-scaled, LM-damped) normal equations, giving the reduced
/// camera system S = U - W V^-1 W^T, and recovers the point steps afterwards. Points are split
/// between workers by observation count; each worker owns an accumulator.
/// </summary>
internal sealed class SchurEliminator
{
    private readonly CompiledProblem _cp;
    private readonly ReducedSystem[] _accumulators;
    private readonly double[][] _rhsAccumulators;
    private readonly Scratch[] _scratch;
    private readonly int[] _workerPointStart;
    private readonly double[] _pointVinv;
    private readonly double[] _pointRhs;
    private readonly double[] _damping;
    private readonly bool[] _workerOk;

    public SchurEliminator(CompiledProblem cp, ReducedSystem system, int workers)
    {
        _cp = cp;
        _accumulators = new ReducedSystem[workers];
        _rhsAccumulators = new double[workers][];
        _scratch = new Scratch[workers];
        _accumulators[0] = system;
        for (int w = 0; w < workers; w++)
        {
            if (w > 0) _accumulators[w] = system.CreateAccumulator();
            _rhsAccumulators[w] = new double[cp.ReducedSize];
            _scratch[w] = new Scratch();
        }
        _workerPointStart = Partition.ByWeight(cp.NumPoints, workers, p =>
        {
            int k = cp.PointObsStart[p + 1] - cp.PointObsStart[p];
            return k * k + 1;
        });
        _pointVinv = new double[9 * cp.NumPoints];
        _pointRhs = new double[3 * cp.NumPoints];
        _damping = new double[cp.ReducedSize];
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

    /// <summary>Per-worker buffers for one point's observations: F (2 x m), W^T (3 x m), W V^-1 (m x 3).</summary>
    private sealed class Scratch
    {
        public const int MaxCameraDim = CompiledProblem.PoseJacobianStride / 2 + 16;
        public double[] F = new double[64 * 2 * MaxCameraDim];
        public double[] WT = new double[64 * 3 * MaxCameraDim];
        public double[] WV = new double[64 * 3 * MaxCameraDim];

        public void Ensure(int k)
        {
            if (F.Length >= k * 2 * MaxCameraDim) return;
            F = new double[k * 2 * MaxCameraDim];
            WT = new double[k * 3 * MaxCameraDim];
            WV = new double[k * 3 * MaxCameraDim];
        }
    }

    private bool EliminatePoint(int p, double mu, double[] diagPoint, double minDiagonal, double maxDiagonal, ReducedSystem acc, double[] rhs, Scratch s)
    {
        var cp = _cp;
        int start = cp.PointObsStart[p], k = cp.PointObsStart[p + 1] - start;
        if (k == 0) return true;
        s.Ensure(k);
        bool free = cp.PointFree[p];
        var r = cp.Residuals;
        var e = cp.PointJacobian;
        const int stride = Scratch.MaxCameraDim;

        double b0 = 0, b1 = 0, b2 = 0;
        var vinv = _pointVinv.AsSpan(9 * p, 9);
        if (free)
        {
            double v00 = 0, v01 = 0, v02 = 0, v11 = 0, v12 = 0, v22 = 0;
            for (int a = 0; a < k; a++)
            {
                int o = cp.PointObsIndex[start + a];
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

        for (int a = 0; a < k; a++)
        {
            int o = cp.PointObsIndex[start + a];
            int m = cp.ObsCameraDim[o];
            var f = s.F.AsSpan(2 * stride * a, 2 * stride);
            LoadCameraJacobian(o, f);
            double r0 = r[2 * o], r1 = r[2 * o + 1];
            var wt = s.WT.AsSpan(3 * stride * a, 3 * stride);
            var wv = s.WV.AsSpan(3 * stride * a, 3 * stride);
            int eo = 6 * o;
            double e00 = e[eo], e01 = e[eo + 1], e02 = e[eo + 2], e10 = e[eo + 3], e11 = e[eo + 4], e12 = e[eo + 5];
            for (int c = 0; c < m; c++)
            {
                double f0 = f[c], f1 = f[stride + c];
                double rc = -(f0 * r0 + f1 * r1);
                if (free)
                {
                    double w0 = f0 * e00 + f1 * e10, w1 = f0 * e01 + f1 * e11, w2 = f0 * e02 + f1 * e12;
                    wt[c] = w0; wt[stride + c] = w1; wt[2 * stride + c] = w2;
                    double x0 = w0 * vinv[0] + w1 * vinv[3] + w2 * vinv[6];
                    double x1 = w0 * vinv[1] + w1 * vinv[4] + w2 * vinv[7];
                    double x2 = w0 * vinv[2] + w1 * vinv[5] + w2 * vinv[8];
                    wv[3 * c] = x0; wv[3 * c + 1] = x1; wv[3 * c + 2] = x2;
                    rc -= x0 * b0 + x1 * b1 + x2 * b2;
                }
                rhs[CameraColumn(o, c)] += rc;
            }
        }

        for (int a = 0; a < k; a++)
        {
            int oa = cp.PointObsIndex[start + a];
            AddDiagonalTerms(oa, s, a, free, acc);
            if (!free) continue;
            for (int b = 0; b < a; b++)
            {
                int ob = cp.PointObsIndex[start + b];
                for (int sa = 0; sa < cp.ObsSegmentCount[oa]; sa++)
                {
                    int blockA = cp.ObsSegmentBlock[2 * oa + sa], startA = cp.ObsSegmentStart[2 * oa + sa], dimA = cp.BlockDim[blockA];
                    for (int sb = 0; sb < cp.ObsSegmentCount[ob]; sb++)
                    {
                        int blockB = cp.ObsSegmentBlock[2 * ob + sb], startB = cp.ObsSegmentStart[2 * ob + sb], dimB = cp.BlockDim[blockB];
                        if (blockA >= blockB)
                        {
                            var dst = acc.Block(blockA, blockB, out int ld);
                            SubtractProduct(dst, ld, s, a, startA, dimA, b, startB, dimB);
                            // Same block from two observations: S gets both M and M^T.
                            if (blockA == blockB) SubtractProduct(dst, ld, s, b, startB, dimB, a, startA, dimA);
                        }
                        else
                        {
                            var dst = acc.Block(blockB, blockA, out int ld);
                            SubtractProduct(dst, ld, s, b, startB, dimB, a, startA, dimA);
                        }
                    }
                }
            }
        }
        return true;
    }

    /// <summary>F^T F - WV W^T of one observation, into the lower block triangle.</summary>
    private void AddDiagonalTerms(int o, Scratch s, int a, bool free, ReducedSystem acc)
    {
        var cp = _cp;
        const int stride = Scratch.MaxCameraDim;
        var f = s.F.AsSpan(2 * stride * a, 2 * stride);
        for (int sa = 0; sa < cp.ObsSegmentCount[o]; sa++)
        {
            int blockA = cp.ObsSegmentBlock[2 * o + sa], startA = cp.ObsSegmentStart[2 * o + sa], dimA = cp.BlockDim[blockA];
            for (int sb = 0; sb < cp.ObsSegmentCount[o]; sb++)
            {
                int blockB = cp.ObsSegmentBlock[2 * o + sb], startB = cp.ObsSegmentStart[2 * o + sb], dimB = cp.BlockDim[blockB];
                if (blockA < blockB) continue;
                var dst = acc.Block(blockA, blockB, out int ld);
                for (int i = 0; i < dimA; i++)
                {
                    double f0 = f[startA + i], f1 = f[stride + startA + i];
                    var row = dst.Slice(i * ld, dimB);
                    var g0 = f.Slice(startB, dimB);
                    var g1 = f.Slice(stride + startB, dimB);
                    for (int j = 0; j < dimB; j++) row[j] += f0 * g0[j] + f1 * g1[j];
                }
                if (free) SubtractProduct(dst, ld, s, a, startA, dimA, a, startB, dimB);
            }
        }
    }

    /// <summary>dst[i, j] -= WV_a[startA + i] . W_b[startB + j], vectorised along j.</summary>
    private static void SubtractProduct(Span<double> dst, int ld, Scratch s, int a, int startA, int dimA, int b, int startB, int dimB)
    {
        const int stride = Scratch.MaxCameraDim;
        var wv = s.WV.AsSpan(3 * stride * a + 3 * startA, 3 * dimA);
        var wt = s.WT.AsSpan(3 * stride * b, 3 * stride);
        var w0 = wt.Slice(startB, dimB);
        var w1 = wt.Slice(stride + startB, dimB);
        var w2 = wt.Slice(2 * stride + startB, dimB);
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

    /// <summary>Copies the observation's camera-side Jacobian [pose | intrinsics] into rows of width <see cref="Scratch.MaxCameraDim"/>.</summary>
    private void LoadCameraJacobian(int o, Span<double> f)
    {
        var cp = _cp;
        const int stride = Scratch.MaxCameraDim;
        int dp = cp.PoseDim(cp.ObsPose[o]), dk = cp.IntrinsicsDim(cp.ObsIntrinsics[o]);
        if (dp > 0)
        {
            var jp = cp.PoseJacobian.AsSpan(CompiledProblem.PoseJacobianStride * o, 2 * dp);
            jp[..dp].CopyTo(f);
            jp.Slice(dp, dp).CopyTo(f[stride..]);
        }
        if (dk > 0)
        {
            var ji = cp.IntrinsicsJacobian.AsSpan(2 * cp.MaxIntrinsics * o, 2 * dk);
            ji[..dk].CopyTo(f[dp..]);
            ji.Slice(dk, dk).CopyTo(f[(stride + dp)..]);
        }
    }

    private int CameraColumn(int o, int c)
    {
        var cp = _cp;
        int dp = cp.PoseDim(cp.ObsPose[o]);
        return c < dp ? cp.PoseColumn[cp.ObsPose[o]] + c : cp.IntrinsicsColumn[cp.ObsIntrinsics[o]] + c - dp;
    }

    /// <summary>Point steps from the camera step: dp = V^-1 (b_p - sum E^T F dc).</summary>
    public void BackSubstitute(ReadOnlySpan<double> cameraStep, Span<double> pointStep)
    {
        var cp = _cp;
        var e = cp.PointJacobian;
        for (int p = 0; p < cp.NumPoints; p++)
        {
            if (!cp.PointFree[p]) { pointStep.Slice(3 * p, 3).Clear(); continue; }
            double b0 = _pointRhs[3 * p], b1 = _pointRhs[3 * p + 1], b2 = _pointRhs[3 * p + 2];
            for (int idx = cp.PointObsStart[p]; idx < cp.PointObsStart[p + 1]; idx++)
            {
                int o = cp.PointObsIndex[idx];
                var (y0, y1) = CameraJacobianTimes(o, cameraStep);
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

    /// <summary>F_o * cameraStep for one observation (2 values).</summary>
    public (double, double) CameraJacobianTimes(int o, ReadOnlySpan<double> cameraStep)
    {
        var cp = _cp;
        double y0 = 0, y1 = 0;
        int pose = cp.ObsPose[o], intr = cp.ObsIntrinsics[o];
        int dp = cp.PoseDim(pose);
        if (dp > 0)
        {
            var jp = cp.PoseJacobian.AsSpan(CompiledProblem.PoseJacobianStride * o, 2 * dp);
            var d = cameraStep.Slice(cp.PoseColumn[pose], dp);
            for (int c = 0; c < dp; c++) { y0 += jp[c] * d[c]; y1 += jp[dp + c] * d[c]; }
        }
        int dk = cp.IntrinsicsDim(intr);
        if (dk > 0)
        {
            var ji = cp.IntrinsicsJacobian.AsSpan(2 * cp.MaxIntrinsics * o, 2 * dk);
            var d = cameraStep.Slice(cp.IntrinsicsColumn[intr], dk);
            for (int c = 0; c < dk; c++) { y0 += ji[c] * d[c]; y1 += ji[dk + c] * d[c]; }
        }
        return (y0, y1);
    }
}
