using IMatching.Geometry.Cameras;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The problem flattened for the solver's inner loops, as Ceres' Program: observation indices and
/// weights, each free pose's manifold, the reduced (camera-side) block layout, and the observations of
/// each point. Fixed for a solve; values live in <see cref="ParameterState"/>.
/// </summary>
internal sealed class ProgramLayout
{
    public readonly int NumPoses, NumPoints, NumIntrinsics, NumObservations;
    public readonly int[] ObsPose, ObsIntrinsics, ObsPoint;
    /// <summary>Observed pixel, and sqrt of the weight (without a loss, of weight times multiplicity: m plain squares are one square weighted m times).</summary>
    public readonly double[] ObsU, ObsV, ObsSqrtWeight;
    /// <summary>How many identical residuals each observation with a loss stands for, as a factor on its robustified cost.</summary>
    public readonly double[] ObsMultiplicity;
    public readonly LossFunction?[] ObsLoss;
    public readonly IProjectionModel[] IntrinsicsModel;

    /// <summary>How each free pose moves; null when the pose is held constant or unobserved.</summary>
    public readonly IPoseManifold?[] PoseManifold;
    /// <summary>First reduced column of each pose/intrinsics block and the reduced block holding it; -1 when held constant.</summary>
    public readonly int[] PoseColumn, IntrinsicsColumn, PoseBlock, IntrinsicsBlock;
    public readonly int[] PoseDims, IntrinsicsDims;
    /// <summary>Per observation: camera-side width and its 1 or 2 (block, start column) segments.</summary>
    public readonly int[] ObsCameraDim, ObsSegmentCount, ObsSegmentBlock, ObsSegmentStart;
    /// <summary>
    /// Per observation: the width and first reduced column of the pose and of the intrinsics part of its camera row
    /// (column -1 when that part is held constant), so the kernels index reduced columns without a lookup per column.
    /// </summary>
    public readonly int[] ObsPoseDim, ObsPoseColumn, ObsIntrinsicsDim, ObsIntrinsicsColumn;
    public readonly bool[] PointFree;
    public readonly int[] PointObsStart, PointObsIndex;

    public readonly int NumBlocks, ReducedSize, MaxIntrinsics;
    /// <summary>The widest camera-side row: an observation's [pose | intrinsics] or one reduced block.</summary>
    public readonly int MaxCameraDim;
    /// <summary>The widest observation's [pose | intrinsics] (0 when every camera is held constant).</summary>
    public readonly int MaxObsCameraDim;
    public readonly int[] BlockOffset, BlockDim;

    public ProgramLayout(Problem problem)
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
        ObsMultiplicity = new double[NumObservations];
        ObsLoss = new LossFunction?[NumObservations];
        for (int i = 0; i < NumObservations; i++)
        {
            var o = obs[i];
            ObsPose[i] = o.Pose.Index;
            ObsIntrinsics[i] = o.Intrinsics.Index;
            ObsPoint[i] = o.Point.Index;
            ObsU[i] = o.ObservedPx.X;
            ObsV[i] = o.ObservedPx.Y;
            ObsLoss[i] = o.Loss ?? problem.DefaultLoss;
            bool robust = ObsLoss[i] is not null;
            ObsSqrtWeight[i] = Math.Sqrt(robust ? o.Weight : o.Weight * o.Multiplicity);
            ObsMultiplicity[i] = robust ? o.Multiplicity : 1;
        }

        // Plain loops rather than LINQ in the solver's set-up: each generic LINQ instantiation over a value type is
        // JIT-compiled at the first call of a cold (ReadyToRun) process.
        IntrinsicsModel = new IProjectionModel[NumIntrinsics];
        MaxIntrinsics = 1;
        for (int k = 0; k < NumIntrinsics; k++)
        {
            IntrinsicsModel[k] = problem.Intrinsics[k].Model;
            MaxIntrinsics = Math.Max(MaxIntrinsics, problem.Intrinsics[k].Values.Length);
        }

        // Reduced blocks: a pose merges with its intrinsics when it alone uses them (BAL), so each
        // observation touches one block; shared intrinsics (one camera, many frames) get a block of their own.
        PoseColumn = MinusOnes(NumPoses);
        IntrinsicsColumn = MinusOnes(NumIntrinsics);
        PoseBlock = MinusOnes(NumPoses);
        IntrinsicsBlock = MinusOnes(NumIntrinsics);
        PoseManifold = new IPoseManifold?[NumPoses];
        // Per intrinsics block: the first pose seen with it, and whether a second one is.
        var firstPoseOfIntrinsics = MinusOnes(NumIntrinsics);
        var sharedIntrinsics = new bool[NumIntrinsics];
        var usedPose = new bool[NumPoses];
        for (int i = 0; i < NumObservations; i++)
        {
            int p = ObsPose[i], k = ObsIntrinsics[i];
            usedPose[p] = true;
            if (firstPoseOfIntrinsics[k] < 0) firstPoseOfIntrinsics[k] = p;
            else if (firstPoseOfIntrinsics[k] != p) sharedIntrinsics[k] = true;
        }
        var intrinsicsOfPose = MinusOnes(NumPoses);
        for (int i = 0; i < NumObservations; i++) if (intrinsicsOfPose[ObsPose[i]] < 0) intrinsicsOfPose[ObsPose[i]] = ObsIntrinsics[i];

        var offsets = new List<int>();
        var dims = new List<int>();
        int size = 0;
        for (int p = 0; p < NumPoses; p++)
        {
            var pose = problem.Poses[p];
            int dim = 0;
            if (!pose.IsConstant && usedPose[p])
            {
                PoseManifold[p] = ManifoldOf(pose);
                PoseColumn[p] = size;
                PoseBlock[p] = offsets.Count;
                dim += PoseManifold[p]!.TangentSize;
            }
            int k = intrinsicsOfPose[p];
            bool owned = k >= 0 && IntrinsicsColumn[k] < 0 && !problem.Intrinsics[k].IsConstant && !sharedIntrinsics[k];
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
            if (IntrinsicsColumn[k] >= 0 || firstPoseOfIntrinsics[k] < 0 || problem.Intrinsics[k].IsConstant) continue;
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
        for (int p = 0; p < NumPoses; p++) PoseDims[p] = PoseManifold[p]?.TangentSize ?? 0;
        IntrinsicsDims = new int[NumIntrinsics];
        for (int k = 0; k < NumIntrinsics; k++) IntrinsicsDims[k] = IntrinsicsColumn[k] < 0 ? 0 : problem.Intrinsics[k].Values.Length;

        // Per observation: the reduced blocks its camera-side Jacobian [pose | intrinsics] falls into.
        ObsCameraDim = new int[NumObservations];
        ObsSegmentCount = new int[NumObservations];
        ObsSegmentBlock = new int[2 * NumObservations];
        ObsSegmentStart = new int[2 * NumObservations];
        ObsPoseDim = new int[NumObservations];
        ObsPoseColumn = new int[NumObservations];
        ObsIntrinsicsDim = new int[NumObservations];
        ObsIntrinsicsColumn = new int[NumObservations];
        for (int i = 0; i < NumObservations; i++)
        {
            int p = ObsPose[i], k = ObsIntrinsics[i];
            int dp = PoseDims[p], dk = IntrinsicsDims[k];
            ObsCameraDim[i] = dp + dk;
            (ObsPoseDim[i], ObsPoseColumn[i]) = (dp, PoseColumn[p]);
            (ObsIntrinsicsDim[i], ObsIntrinsicsColumn[i]) = (dk, IntrinsicsColumn[k]);
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
        MaxObsCameraDim = 0;
        foreach (int m in ObsCameraDim) MaxObsCameraDim = Math.Max(MaxObsCameraDim, m);
        MaxCameraDim = Math.Max(1, MaxObsCameraDim);
        foreach (int d in BlockDim) MaxCameraDim = Math.Max(MaxCameraDim, d);

        PointFree = new bool[NumPoints];
        PointObsStart = new int[NumPoints + 1];
        for (int i = 0; i < NumObservations; i++) PointObsStart[ObsPoint[i] + 1]++;
        for (int p = 0; p < NumPoints; p++) PointObsStart[p + 1] += PointObsStart[p];
        PointObsIndex = new int[NumObservations];
        var fill = new int[NumPoints];
        Array.Copy(PointObsStart, fill, NumPoints);
        for (int i = 0; i < NumObservations; i++) PointObsIndex[fill[ObsPoint[i]]++] = i;
        for (int p = 0; p < NumPoints; p++)
            PointFree[p] = !problem.Points[p].IsConstant && PointObsStart[p + 1] > PointObsStart[p];
    }

    private static IPoseManifold ManifoldOf(PoseBlock pose)
    {
        if (pose.ScaleAnchor is not { } anchor)
            return pose.Update == PoseUpdate.AngleAxis ? new AngleAxisManifold(pose.Index) : new Se3Manifold(pose.Index);
        if (pose.Update != PoseUpdate.LeftSe3)
            throw new ArgumentException($"FixScale: pose {pose.Index} keeps its distance to pose {anchor.Index} on a manifold of its own; its update must be {PoseUpdate.LeftSe3}, not {pose.Update}.");
        if (!anchor.IsConstant)
            throw new ArgumentException($"FixScale: anchor pose {anchor.Index} must be held constant while pose {pose.Index} keeps its distance to it.");
        return new CentreOnSphereManifold(pose.Index, anchor.Index, (pose.Centre - anchor.Centre).Norm);
    }

    /// <summary>An array of -1s (by a loop: Array.Fill&lt;int&gt; would be JIT-compiled in a cold process).</summary>
    public static int[] MinusOnes(int n)
    {
        var values = new int[n];
        for (int i = 0; i < n; i++) values[i] = -1;
        return values;
    }

    public ParameterState CreateState()
    {
        var sizes = new int[NumIntrinsics];
        for (int k = 0; k < NumIntrinsics; k++) sizes[k] = IntrinsicsModel[k].ParameterNames.Count;
        return new(NumPoses, NumPoints, sizes);
    }

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

    /// <summary>target = source ⊞ step: poses on their manifolds, intrinsics and points additively; step indexed by reduced columns (cameras) and 3 per point.</summary>
    public void Plus(ParameterState source, ReadOnlySpan<double> cameraStep, ReadOnlySpan<double> pointStep, ParameterState target)
    {
        for (int p = 0; p < NumPoses; p++)
            target.CameraFromWorld[p] = PoseManifold[p] is { } manifold
                ? manifold.Plus(source, cameraStep.Slice(PoseColumn[p], PoseDims[p]))
                : source.CameraFromWorld[p];
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
            target.Points[p] = PointFree[p] ? new(x.X + pointStep[3 * p], x.Y + pointStep[3 * p + 1], x.Z + pointStep[3 * p + 2]) : x;
        }
    }
}
