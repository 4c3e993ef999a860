namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Ceres' Jacobi scaling: every column of J is divided by 1 + its norm, which makes the LM
/// damping independent of the units of each parameter. Scales the stored Jacobians in place.
/// </summary>
internal static class JacobiScaling
{
    /// <summary>Fills scales and the scaled diag(J^T J); returns max |J^T r| (unscaled), Ceres' gradient norm for Euclidean blocks.</summary>
    public static double Apply(CompiledProblem cp, bool enabled, double[] scaleCamera, double[] scalePoint, double[] diagCamera, double[] diagPoint)
    {
        Array.Clear(diagCamera);
        Array.Clear(diagPoint);
        var gradCamera = new double[diagCamera.Length];
        var gradPoint = new double[diagPoint.Length];
        for (int o = 0; o < cp.NumObservations; o++)
        {
            double r0 = cp.Residuals[2 * o], r1 = cp.Residuals[2 * o + 1];
            foreach (var (jacobian, start, dim, offset) in CameraSegments(cp, o))
            {
                for (int c = 0; c < dim; c++)
                {
                    double a = jacobian[start + c], b = jacobian[start + dim + c];
                    diagCamera[offset + c] += a * a + b * b;
                    gradCamera[offset + c] += a * r0 + b * r1;
                }
            }
            int p = cp.ObsPoint[o];
            if (!cp.PointFree[p]) continue;
            for (int c = 0; c < 3; c++)
            {
                double a = cp.PointJacobian[6 * o + c], b = cp.PointJacobian[6 * o + 3 + c];
                diagPoint[3 * p + c] += a * a + b * b;
                gradPoint[3 * p + c] += a * r0 + b * r1;
            }
        }
        double gradientMaxNorm = 0;
        foreach (var g in gradCamera) gradientMaxNorm = Math.Max(gradientMaxNorm, Math.Abs(g));
        foreach (var g in gradPoint) gradientMaxNorm = Math.Max(gradientMaxNorm, Math.Abs(g));

        for (int i = 0; i < scaleCamera.Length; i++) scaleCamera[i] = enabled ? 1 / (1 + Math.Sqrt(diagCamera[i])) : 1;
        for (int i = 0; i < scalePoint.Length; i++) scalePoint[i] = enabled ? 1 / (1 + Math.Sqrt(diagPoint[i])) : 1;
        if (!enabled) return gradientMaxNorm;

        for (int i = 0; i < scaleCamera.Length; i++) diagCamera[i] *= scaleCamera[i] * scaleCamera[i];
        for (int i = 0; i < scalePoint.Length; i++) diagPoint[i] *= scalePoint[i] * scalePoint[i];
        for (int o = 0; o < cp.NumObservations; o++)
        {
            foreach (var (jacobian, start, dim, offset) in CameraSegments(cp, o))
            {
                for (int c = 0; c < dim; c++)
                {
                    jacobian[start + c] *= scaleCamera[offset + c];
                    jacobian[start + dim + c] *= scaleCamera[offset + c];
                }
            }
            int p = cp.ObsPoint[o];
            for (int c = 0; c < 3; c++)
            {
                cp.PointJacobian[6 * o + c] *= scalePoint[3 * p + c];
                cp.PointJacobian[6 * o + 3 + c] *= scalePoint[3 * p + c];
            }
        }
        return gradientMaxNorm;
    }

    /// <summary>The observation's free camera-side Jacobian blocks: (storage, start, columns, reduced offset).</summary>
    private static SegmentList CameraSegments(CompiledProblem cp, int o) => new(cp, o);

    private readonly struct SegmentList(CompiledProblem cp, int o)
    {
        public Enumerator GetEnumerator() => new(cp, o);
    }

    private struct Enumerator(CompiledProblem cp, int o)
    {
        private int _state = -1;
        public (double[] Jacobian, int Start, int Dim, int Offset) Current { get; private set; }

        public bool MoveNext()
        {
            while (++_state < 2)
            {
                if (_state == 0)
                {
                    int pose = cp.ObsPose[o], dp = cp.PoseDim(pose);
                    if (dp == 0) continue;
                    Current = (cp.PoseJacobian, CompiledProblem.PoseJacobianStride * o, dp, cp.PoseColumn[pose]);
                    return true;
                }
                int intr = cp.ObsIntrinsics[o], dk = cp.IntrinsicsDim(intr);
                if (dk == 0) continue;
                Current = (cp.IntrinsicsJacobian, 2 * cp.MaxIntrinsics * o, dk, cp.IntrinsicsColumn[intr]);
                return true;
            }
            return false;
        }
    }
}
