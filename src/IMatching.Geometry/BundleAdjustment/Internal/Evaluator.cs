using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Evaluates the cost, and at a linearisation point the robustified residuals and Jacobians into the buffers
/// of a <see cref="BlockJacobian"/>, as Ceres' Evaluator; workers each take a contiguous range of observations.
/// Also the decrease the linearised model predicts for a step.
/// </summary>
internal sealed class Evaluator
{
    private readonly ProgramLayout _layout;
    private readonly BlockJacobian _jacobian;
    private readonly int _workers;
    private readonly bool _robustCurvature;
    private readonly int[] _bounds;
    private readonly double[] _partial;

    public Evaluator(ProgramLayout layout, BlockJacobian jacobian, int workers, bool robustCurvature)
    {
        _robustCurvature = robustCurvature;
        _layout = layout;
        _jacobian = jacobian;
        _workers = workers;
        _bounds = Partition.Even(layout.NumObservations, workers);
        _partial = new double[workers];
    }

    /// <summary>
    /// 0.5 * sum of rho; with <paramref name="jacobians"/>, also the linearisation at <paramref name="state"/>, into the
    /// Jacobian's buffers (replacing the one there) and the pose manifolds' tangent bases.
    /// </summary>
    public double Evaluate(ParameterState state, bool jacobians)
    {
        if (jacobians) LinearizeManifolds(state);
        var residuals = jacobians ? _jacobian.Residuals : null;
        ForkJoin.Run(_workers, w => _partial[w] = EvaluateRange(state, _bounds[w], _bounds[w + 1], jacobians, residuals));
        double sum = 0;
        foreach (var c in _partial) sum += c;
        return sum;
    }

    /// <summary>Sets the pose manifolds' tangent bases at <paramref name="state"/> (what a linearisation there used).</summary>
    private void LinearizeManifolds(ParameterState state)
    {
        foreach (var manifold in _layout.PoseManifold) manifold?.Linearize(state);
    }

    /// <summary>Decrease the linearised model predicts: -(J d)^T (r + J d / 2).</summary>
    public double ModelCostChange(double[] cameraStep, double[] pointStep)
    {
        ForkJoin.Run(_workers, w => _partial[w] = ModelCostChangeRange(cameraStep, pointStep, _bounds[w], _bounds[w + 1]));
        double total = 0;
        foreach (var c in _partial) total += c;
        return total;
    }

    private double ModelCostChangeRange(double[] cameraStep, double[] pointStep, int from, int to)
    {
        var r = _jacobian.Residuals;
        double sum = 0;
        for (int o = from; o < to; o++)
        {
            _jacobian.CameraTimes(o, cameraStep, out double y0, out double y1);
            _jacobian.PointTimes(o, pointStep, out double z0, out double z1);
            y0 += z0;
            y1 += z1;
            sum -= y0 * (r[2 * o] + 0.5 * y0) + y1 * (r[2 * o + 1] + 0.5 * y1);
        }
        return sum;
    }

    /// <summary>Names the first observation whose residual is not finite, for error messages.</summary>
    public string DescribeNonFinite(ParameterState state)
    {
        var r = new double[2 * _layout.NumObservations];
        EvaluateRange(state, 0, _layout.NumObservations, jacobians: false, r);
        for (int o = 0; o < _layout.NumObservations; o++)
            if (!double.IsFinite(r[2 * o]) || !double.IsFinite(r[2 * o + 1]))
                return $"observation {o}: pose {_layout.ObsPose[o]}, point {_layout.ObsPoint[o]} projects to a non-finite pixel";
        return "no single observation is non-finite; the sum overflowed";
    }

    /// <summary>Cost of observations [from, to); robustified residuals into <paramref name="residuals"/> when given, Jacobians when asked.</summary>
    private double EvaluateRange(ParameterState state, int from, int to, bool jacobians, double[]? residuals)
    {
        var l = _layout;
        var jacobian = _jacobian;
        var camera = jacobian.Camera;
        var jx = jacobian.Point;
        int stride = jacobian.CameraStride;
        // The model writes the pixel's derivatives here; they are copied into the Jacobian's arrays and corrected there in place.
        Span<double> dIntrinsics = stackalloc double[2 * l.MaxIntrinsics];
        Span<double> dPixelDPoint = stackalloc double[6];
        double cost = 0;
        for (int i = from; i < to; i++)
        {
            int pose = l.ObsPose[i], k = l.ObsIntrinsics[i], point = l.ObsPoint[i];
            var cameraFromWorld = state.CameraFromWorld[pose];
            var pc = cameraFromWorld.Act(state.Points[point]);
            int kDim = l.ObsIntrinsicsDim[i];
            var pixel = l.IntrinsicsModel[k].Project(state.Intrinsics[k], pc,
                jacobians ? dPixelDPoint : default,
                jacobians && kDim > 0 ? dIntrinsics : default);
            var (ex, ey) = ObservationCost.WeightedResidual(l, i, pixel);
            double s = ex * ex + ey * ey;
            double halfCost = ObservationCost.Robustify(l, i, ex, ey, s, _robustCurvature, out var corrector);
            cost += halfCost;
            if (residuals is not null)
            {
                residuals[2 * i] = corrector.ResidualScale * ex;
                residuals[2 * i + 1] = corrector.ResidualScale * ey;
            }
            if (!jacobians) continue;

            int eo = 6 * i;
            for (int c = 0; c < 6; c++) jx[eo + c] = dPixelDPoint[c];
            corrector.CorrectRows(jx, eo, eo + 3, 3);
            var rot = cameraFromWorld.Rotation;
            int dp = l.ObsPoseDim[i], m = dp + kDim, at = stride * i;
            for (int r = 0; r < 2; r++)
            {
                int row = eo + 3 * r;
                var a = new Vec3(jx[row], jx[row + 1], jx[row + 2]);
                var aR = new Vec3(
                    a.X * rot.M00 + a.Y * rot.M10 + a.Z * rot.M20,
                    a.X * rot.M01 + a.Y * rot.M11 + a.Z * rot.M21,
                    a.X * rot.M02 + a.Y * rot.M12 + a.Z * rot.M22);
                jx[row] = aR.X; jx[row + 1] = aR.Y; jx[row + 2] = aR.Z;
                if (dp > 0) l.PoseManifold[pose]!.JacobianRow(a, aR, pc, camera, at + r * m);
            }
            if (kDim > 0)
            {
                for (int c = 0; c < kDim; c++)
                {
                    camera[at + dp + c] = dIntrinsics[c];
                    camera[at + m + dp + c] = dIntrinsics[kDim + c];
                }
                corrector.CorrectRows(camera, at + dp, at + m + dp, kDim);
            }
        }
        return cost;
    }
}
