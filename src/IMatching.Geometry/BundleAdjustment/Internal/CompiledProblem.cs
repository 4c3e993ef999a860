using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The problem flattened into arrays for the solver's inner loops: observation indices, the
/// reduced (camera-side) block layout, point-to-observation lists, and Jacobian storage.
/// </summary>
internal sealed class CompiledProblem
{
    public const int PoseJacobianStride = 12;

    public readonly int NumPoses, NumPoints, NumIntrinsics, NumObservations;
    public readonly int[] ObsPose, ObsIntrinsics, ObsPoint;
    public readonly double[] ObsU, ObsV, ObsSqrtWeight;
    public readonly LossFunction?[] ObsLoss;
    public readonly IProjectionModel[] IntrinsicsModel;

    /// <summary>First reduced column of each pose/intrinsics block and the reduced block holding it; -1 when held constant.</summary>
    public readonly int[] PoseColumn, IntrinsicsColumn, PoseBlock, IntrinsicsBlock;
    public readonly int[] PoseDims, IntrinsicsDims;
    /// <summary>Per observation: camera-side width and its 1 or 2 (block, start column) segments.</summary>
    public readonly int[] ObsCameraDim, ObsSegmentCount, ObsSegmentBlock, ObsSegmentStart;
    public readonly int[] PoseAnchor;
    public readonly double[] PoseAnchorRadius;
    public readonly bool[] PointFree;
    public readonly int[] PointObsStart, PointObsIndex;

    public readonly int NumBlocks, ReducedSize, MaxIntrinsics, NumFreePoints;
    public readonly int[] BlockOffset, BlockDim;

    // Linearisation at the current state (Jacobi-scaled in place by the solver).
    public readonly double[] Residuals, PoseJacobian, IntrinsicsJacobian, PointJacobian;
    /// <summary>Per anchored pose: the 3x2 basis of the tangent plane of its centre's sphere.</summary>
    public readonly double[] PoseSphereBasis;

    public CompiledProblem(Problem problem)
    {
        var obs = problem.Observations;
        if (obs.Count == 0) throw new ArgumentException("Problem has no observations: nothing to solve.");
        NumPoses = problem.Poses.Count;
        NumPoints = problem.Points.Count;
        NumIntrinsics = problem.Intrinsics.Count;
        NumObservations = obs.Count;

        ObsPose = new int[NumObservations];
        ObsIntrinsics = new int[NumObservations];
        ObsPoint = new int[NumObservations];
        ObsU = new double[NumObservations];
        ObsV = new double[NumObservations];
        ObsSqrtWeight = new double[NumObservations];
        ObsLoss = new LossFunction?[NumObservations];
        for (int i = 0; i < NumObservations; i++)
        {
            var o = obs[i];
            ObsPose[i] = o.Pose.Index;
            ObsIntrinsics[i] = o.Intrinsics.Index;
            ObsPoint[i] = o.Point.Index;
            ObsU[i] = o.ObservedPx.X;
            ObsV[i] = o.ObservedPx.Y;
            ObsSqrtWeight[i] = Math.Sqrt(o.Weight);
            ObsLoss[i] = o.Loss ?? problem.DefaultLoss;
        }

        IntrinsicsModel = problem.Intrinsics.Select(b => b.Model).ToArray();
        MaxIntrinsics = Math.Max(1, problem.Intrinsics.Max(b => b.Values.Length));

        // Reduced blocks: a pose merges with its intrinsics when it alone uses them (BAL), so each
        // observation touches one block; shared intrinsics (one camera, many frames) get a block of their own.
        PoseColumn = Enumerable.Repeat(-1, NumPoses).ToArray();
        IntrinsicsColumn = Enumerable.Repeat(-1, NumIntrinsics).ToArray();
        PoseBlock = Enumerable.Repeat(-1, NumPoses).ToArray();
        IntrinsicsBlock = Enumerable.Repeat(-1, NumIntrinsics).ToArray();
        PoseAnchor = Enumerable.Repeat(-1, NumPoses).ToArray();
        PoseAnchorRadius = new double[NumPoses];
        var posesOfIntrinsics = new HashSet<int>[NumIntrinsics];
        for (int k = 0; k < NumIntrinsics; k++) posesOfIntrinsics[k] = [];
        var usedPose = new bool[NumPoses];
        for (int i = 0; i < NumObservations; i++) { usedPose[ObsPose[i]] = true; posesOfIntrinsics[ObsIntrinsics[i]].Add(ObsPose[i]); }
        var intrinsicsOfPose = new int[NumPoses];
        Array.Fill(intrinsicsOfPose, -1);
        for (int i = 0; i < NumObservations; i++) if (intrinsicsOfPose[ObsPose[i]] < 0) intrinsicsOfPose[ObsPose[i]] = ObsIntrinsics[i];

        var offsets = new List<int>();
        var dims = new List<int>();
        int size = 0;
        for (int p = 0; p < NumPoses; p++)
        {
            var pose = problem.Poses[p];
            if (pose.ScaleAnchor is { } anchor)
            {
                if (!anchor.IsConstant)
                    throw new ArgumentException($"FixScale: anchor pose {anchor.Index} must be held constant while pose {p} keeps its distance to it.");
                PoseAnchor[p] = anchor.Index;
                PoseAnchorRadius[p] = (pose.Centre - anchor.Centre).Norm;
            }
            int dim = 0;
            if (!pose.IsConstant && usedPose[p]) { PoseColumn[p] = size; PoseBlock[p] = offsets.Count; dim += pose.TangentSize; }
            int k = intrinsicsOfPose[p];
            bool owned = k >= 0 && IntrinsicsColumn[k] < 0 && !problem.Intrinsics[k].IsConstant && posesOfIntrinsics[k].Count == 1;
            if (owned && dim > 0)
            {
                IntrinsicsColumn[k] = size + dim;
                IntrinsicsBlock[k] = offsets.Count;
                dim += problem.Intrinsics[k].Values.Length;
            }
            if (dim > 0) { offsets.Add(size); dims.Add(dim); size += dim; }
        }
        for (int k = 0; k < NumIntrinsics; k++)
        {
            if (IntrinsicsColumn[k] >= 0 || posesOfIntrinsics[k].Count == 0 || problem.Intrinsics[k].IsConstant) continue;
            IntrinsicsColumn[k] = size;
            IntrinsicsBlock[k] = offsets.Count;
            offsets.Add(size);
            dims.Add(problem.Intrinsics[k].Values.Length);
            size += problem.Intrinsics[k].Values.Length;
        }
        NumBlocks = offsets.Count;
        ReducedSize = size;
        BlockOffset = offsets.ToArray();
        BlockDim = dims.ToArray();
        PoseDims = new int[NumPoses];
        for (int p = 0; p < NumPoses; p++) PoseDims[p] = PoseColumn[p] < 0 ? 0 : problem.Poses[p].TangentSize;
        IntrinsicsDims = new int[NumIntrinsics];
        for (int k = 0; k < NumIntrinsics; k++) IntrinsicsDims[k] = IntrinsicsColumn[k] < 0 ? 0 : problem.Intrinsics[k].Values.Length;

        // Per observation: the reduced blocks its camera-side Jacobian [pose | intrinsics] falls into.
        ObsCameraDim = new int[NumObservations];
        ObsSegmentCount = new int[NumObservations];
        ObsSegmentBlock = new int[2 * NumObservations];
        ObsSegmentStart = new int[2 * NumObservations];
        for (int i = 0; i < NumObservations; i++)
        {
            int p = ObsPose[i], k = ObsIntrinsics[i];
            int dp = PoseDims[p], dk = IntrinsicsDims[k];
            ObsCameraDim[i] = dp + dk;
            int n = 0;
            if (dp > 0) { ObsSegmentBlock[2 * i] = PoseBlock[p]; ObsSegmentStart[2 * i] = 0; n = 1; }
            if (dk > 0 && (dp == 0 || IntrinsicsBlock[k] != PoseBlock[p]))
            {
                ObsSegmentBlock[2 * i + n] = IntrinsicsBlock[k];
                ObsSegmentStart[2 * i + n] = dp;
                n++;
            }
            ObsSegmentCount[i] = n;
        }

        PointFree = new bool[NumPoints];
        PointObsStart = new int[NumPoints + 1];
        for (int i = 0; i < NumObservations; i++) PointObsStart[ObsPoint[i] + 1]++;
        for (int p = 0; p < NumPoints; p++) PointObsStart[p + 1] += PointObsStart[p];
        PointObsIndex = new int[NumObservations];
        var fill = PointObsStart[..^1].ToArray();
        for (int i = 0; i < NumObservations; i++) PointObsIndex[fill[ObsPoint[i]]++] = i;
        for (int p = 0; p < NumPoints; p++)
        {
            PointFree[p] = !problem.Points[p].IsConstant && PointObsStart[p + 1] > PointObsStart[p];
            if (PointFree[p]) NumFreePoints++;
        }

        Residuals = new double[2 * NumObservations];
        PoseJacobian = new double[PoseJacobianStride * NumObservations];
        IntrinsicsJacobian = new double[2 * MaxIntrinsics * NumObservations];
        PointJacobian = new double[6 * NumObservations];
        PoseSphereBasis = new double[6 * NumPoses];
    }

    public int PoseDim(int pose) => PoseDims[pose];
    public int IntrinsicsDim(int k) => IntrinsicsDims[k];

    public ParameterState CreateState() =>
        new(NumPoses, NumPoints, IntrinsicsModel.Select(m => m.ParameterNames.Count).ToArray());

    public static void Load(Problem problem, ParameterState state)
    {
        for (int i = 0; i < problem.Poses.Count; i++) state.CameraFromWorld[i] = problem.Poses[i].CameraFromWorld;
        for (int i = 0; i < problem.Points.Count; i++) state.Points[i] = problem.Points[i].World;
        for (int i = 0; i < problem.Intrinsics.Count; i++) problem.Intrinsics[i].Values.CopyTo(state.Intrinsics[i], 0);
    }

    public static void Store(ParameterState state, Problem problem)
    {
        for (int i = 0; i < problem.Poses.Count; i++) problem.Poses[i].CameraFromWorld = state.CameraFromWorld[i];
        for (int i = 0; i < problem.Points.Count; i++) problem.Points[i].World = state.Points[i];
        for (int i = 0; i < problem.Intrinsics.Count; i++) state.Intrinsics[i].CopyTo(problem.Intrinsics[i].Values, 0);
    }

    /// <summary>Refreshes the tangent bases of anchored poses; call before evaluating Jacobians.</summary>
    public void UpdateSphereBases(ParameterState state)
    {
        for (int p = 0; p < NumPoses; p++)
        {
            if (PoseAnchor[p] < 0) continue;
            var d = (state.CameraFromWorld[p].InverseTranslation - state.CameraFromWorld[PoseAnchor[p]].InverseTranslation).Normalized();
            var helper = Math.Abs(d.X) < 0.9 ? new Vec3(1, 0, 0) : new Vec3(0, 1, 0);
            var b1 = d.Cross(helper).Normalized();
            var b2 = d.Cross(b1);
            var basis = PoseSphereBasis.AsSpan(6 * p, 6);
            basis[0] = b1.X; basis[1] = b2.X;
            basis[2] = b1.Y; basis[3] = b2.Y;
            basis[4] = b1.Z; basis[5] = b2.Z;
        }
    }

    /// <summary>
    /// Evaluates observations [from, to): robustified residuals into <see cref="Residuals"/> and, when
    /// asked, robustified Jacobians. Returns their cost 0.5 * sum rho.
    /// </summary>
    public double Evaluate(ParameterState state, int from, int to, bool jacobians)
    {
        Span<double> dPixelDPoint = stackalloc double[6];
        Span<double> dIntrinsics = stackalloc double[2 * MaxIntrinsics];
        double cost = 0;
        for (int i = from; i < to; i++)
        {
            int pose = ObsPose[i], k = ObsIntrinsics[i], point = ObsPoint[i];
            var cameraFromWorld = state.CameraFromWorld[pose];
            var pc = cameraFromWorld.Act(state.Points[point]);
            int kDim = IntrinsicsDim(k);
            var pixel = IntrinsicsModel[k].Project(state.Intrinsics[k], pc,
                jacobians ? dPixelDPoint : default,
                jacobians && kDim > 0 ? dIntrinsics[..(2 * kDim)] : default);
            double w = ObsSqrtWeight[i];
            double ex = w * (pixel.X - ObsU[i]), ey = w * (pixel.Y - ObsV[i]);
            double s = ex * ex + ey * ey;
            double scale = w;
            var loss = ObsLoss[i];
            if (loss is null)
            {
                cost += 0.5 * s;
            }
            else
            {
                // Ceres' corrector with rho'' <= 0 (true of every loss here): scale residual and Jacobian by sqrt(rho').
                var (rho, rho1, _) = loss.Evaluate(s);
                cost += 0.5 * rho;
                double c = Math.Sqrt(rho1);
                ex *= c;
                ey *= c;
                scale *= c;
            }
            Residuals[2 * i] = ex;
            Residuals[2 * i + 1] = ey;
            if (!jacobians) continue;

            for (int j = 0; j < 6; j++) dPixelDPoint[j] *= scale;
            var rot = cameraFromWorld.Rotation;
            var jx = PointJacobian.AsSpan(6 * i, 6);
            for (int r = 0; r < 2; r++)
            {
                double a0 = dPixelDPoint[3 * r], a1 = dPixelDPoint[3 * r + 1], a2 = dPixelDPoint[3 * r + 2];
                jx[3 * r] = a0 * rot.M00 + a1 * rot.M10 + a2 * rot.M20;
                jx[3 * r + 1] = a0 * rot.M01 + a1 * rot.M11 + a2 * rot.M21;
                jx[3 * r + 2] = a0 * rot.M02 + a1 * rot.M12 + a2 * rot.M22;
            }
            int poseDim = PoseDim(pose);
            if (poseDim > 0)
            {
                var jp = PoseJacobian.AsSpan(PoseJacobianStride * i, PoseJacobianStride);
                for (int r = 0; r < 2; r++)
                {
                    double a0 = dPixelDPoint[3 * r], a1 = dPixelDPoint[3 * r + 1], a2 = dPixelDPoint[3 * r + 2];
                    // Rotation columns: a * (-hat(pc)) = pc x a.
                    double w0 = pc.Y * a2 - pc.Z * a1, w1 = pc.Z * a0 - pc.X * a2, w2 = pc.X * a1 - pc.Y * a0;
                    int row = r * poseDim;
                    if (poseDim == 6)
                    {
                        jp[row] = a0; jp[row + 1] = a1; jp[row + 2] = a2;
                        jp[row + 3] = w0; jp[row + 4] = w1; jp[row + 5] = w2;
                    }
                    else
                    {
                        // Centre moves on its sphere: d(pc)/d(centre) = -R, times the tangent basis.
                        var basis = PoseSphereBasis.AsSpan(6 * pose, 6);
                        double x0 = jx[3 * r], x1 = jx[3 * r + 1], x2 = jx[3 * r + 2];
                        jp[row] = w0; jp[row + 1] = w1; jp[row + 2] = w2;
                        jp[row + 3] = -(x0 * basis[0] + x1 * basis[2] + x2 * basis[4]);
                        jp[row + 4] = -(x0 * basis[1] + x1 * basis[3] + x2 * basis[5]);
                    }
                }
            }
            if (kDim > 0)
            {
                var ji = IntrinsicsJacobian.AsSpan(2 * MaxIntrinsics * i, 2 * kDim);
                for (int j = 0; j < 2 * kDim; j++) ji[j] = scale * dIntrinsics[j];
            }
        }
        return cost;
    }

    /// <summary>target = source "plus" step, where step is indexed by reduced offsets (cameras) and 3 per point.</summary>
    public void Plus(ParameterState source, ReadOnlySpan<double> cameraStep, ReadOnlySpan<double> pointStep, ParameterState target)
    {
        for (int p = 0; p < NumPoses; p++)
        {
            int column = PoseColumn[p];
            var t = source.CameraFromWorld[p];
            if (column < 0) { target.CameraFromWorld[p] = t; continue; }
            var d = cameraStep.Slice(column, PoseDims[p]);
            if (PoseAnchor[p] < 0)
            {
                target.CameraFromWorld[p] = t.LeftPlus(d);
                continue;
            }
            var rotation = So3.Exp(new Vec3(d[0], d[1], d[2])) * t.Rotation;
            var anchorCentre = source.CameraFromWorld[PoseAnchor[p]].InverseTranslation;
            var basis = PoseSphereBasis.AsSpan(6 * p, 6);
            var moved = t.InverseTranslation - anchorCentre + new Vec3(
                basis[0] * d[3] + basis[1] * d[4], basis[2] * d[3] + basis[3] * d[4], basis[4] * d[3] + basis[5] * d[4]);
            var centre = anchorCentre + PoseAnchorRadius[p] * moved.Normalized();
            target.CameraFromWorld[p] = new Se3(rotation, -(rotation * centre));
        }
        for (int k = 0; k < NumIntrinsics; k++)
        {
            int column = IntrinsicsColumn[k];
            var src = source.Intrinsics[k];
            var dst = target.Intrinsics[k];
            if (column < 0) { src.CopyTo(dst, 0); continue; }
            var d = cameraStep.Slice(column, IntrinsicsDims[k]);
            for (int j = 0; j < src.Length; j++) dst[j] = src[j] + d[j];
        }
        for (int p = 0; p < NumPoints; p++)
        {
            var x = source.Points[p];
            target.Points[p] = PointFree[p] ? new Vec3(x.X + pointStep[3 * p], x.Y + pointStep[3 * p + 1], x.Z + pointStep[3 * p + 2]) : x;
        }
    }
}
