using System.Runtime.CompilerServices;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Ceres' Jacobi scaling: every column of J is divided by 1 + its norm, which makes the LM damping
/// independent of the units of each parameter. Scales the stored Jacobian in place; every buffer is
/// allocated once per solve.
/// </summary>
internal sealed class JacobiScaling
{
    private readonly ProgramLayout _layout;
    private readonly BlockJacobian _jacobian;
    private readonly bool _enabled;
    private readonly double[] _gradientCamera, _gradientPoint;

    public JacobiScaling(ProgramLayout layout, BlockJacobian jacobian, bool enabled)
    {
        _layout = layout;
        _jacobian = jacobian;
        _enabled = enabled;
        CameraScale = new double[layout.ReducedSize];
        CameraDiagonal = new double[layout.ReducedSize];
        _gradientCamera = new double[layout.ReducedSize];
        PointScale = new double[3 * layout.NumPoints];
        PointDiagonal = new double[3 * layout.NumPoints];
        _gradientPoint = new double[3 * layout.NumPoints];
    }

    /// <summary>Per reduced camera column: 1 / (1 + column norm), or 1 when scaling is off.</summary>
    public double[] CameraScale { get; }
    public double[] PointScale { get; }
    /// <summary>diag(J^T J) of the scaled Jacobian: what LM damps with.</summary>
    public double[] CameraDiagonal { get; }
    public double[] PointDiagonal { get; }

    /// <summary>Computes the scales and the scaled diag(J^T J), scales J; returns max |J^T r| (unscaled), Ceres' gradient max norm.</summary>
    public double Apply()
    {
        var l = _layout;
        var j = _jacobian;
        var r = j.Residuals;
        var f = j.Camera;
        var e = j.Point;
        int stride = j.CameraStride;
        Array.Clear(CameraDiagonal);
        Array.Clear(PointDiagonal);
        Array.Clear(_gradientCamera);
        Array.Clear(_gradientPoint);
        for (int o = 0; o < l.NumObservations; o++)
        {
            double r0 = r[2 * o], r1 = r[2 * o + 1];
            int dp = l.ObsPoseDim[o], m = l.ObsCameraDim[o], at = stride * o;
            Accumulate(f, at, m, 0, l.ObsPoseColumn[o], dp, r0, r1, CameraDiagonal, _gradientCamera);
            Accumulate(f, at, m, dp, l.ObsIntrinsicsColumn[o], m - dp, r0, r1, CameraDiagonal, _gradientCamera);
            int p = l.ObsPoint[o];
            if (l.PointFree[p]) Accumulate(e, 6 * o, 3, 0, 3 * p, 3, r0, r1, PointDiagonal, _gradientPoint);
        }
        double gradientMaxNorm = 0;
        foreach (var g in _gradientCamera) gradientMaxNorm = Math.Max(gradientMaxNorm, Math.Abs(g));
        foreach (var g in _gradientPoint) gradientMaxNorm = Math.Max(gradientMaxNorm, Math.Abs(g));

        for (int i = 0; i < CameraScale.Length; i++) CameraScale[i] = _enabled ? 1 / (1 + Math.Sqrt(CameraDiagonal[i])) : 1;
        for (int i = 0; i < PointScale.Length; i++) PointScale[i] = _enabled ? 1 / (1 + Math.Sqrt(PointDiagonal[i])) : 1;
        if (!_enabled) return gradientMaxNorm;

        for (int i = 0; i < CameraScale.Length; i++) CameraDiagonal[i] *= CameraScale[i] * CameraScale[i];
        for (int i = 0; i < PointScale.Length; i++) PointDiagonal[i] *= PointScale[i] * PointScale[i];
        for (int o = 0; o < l.NumObservations; o++)
        {
            int dp = l.ObsPoseDim[o], m = l.ObsCameraDim[o], at = stride * o;
            Scale(f, at, m, 0, l.ObsPoseColumn[o], dp, CameraScale);
            Scale(f, at, m, dp, l.ObsIntrinsicsColumn[o], m - dp, CameraScale);
            Scale(e, 6 * o, 3, 0, 3 * l.ObsPoint[o], 3, PointScale);
        }
        return gradientMaxNorm;
    }

    /// <summary>
    /// Over <paramref name="count"/> columns of a two-row block (rows <paramref name="width"/> apart, from
    /// <paramref name="first"/>) that are reduced columns <paramref name="column"/>...: squared column norms and J^T r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(double[] rows, int at, int width, int first, int column, int count, double r0, double r1, double[] diagonal, double[] gradient)
    {
        for (int c = 0; c < count; c++)
        {
            double a = rows[at + first + c], b = rows[at + width + first + c];
            diagonal[column + c] += a * a + b * b;
            gradient[column + c] += a * r0 + b * r1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(double[] rows, int at, int width, int first, int column, int count, double[] scale)
    {
        for (int c = 0; c < count; c++)
        {
            double s = scale[column + c];
            rows[at + first + c] *= s;
            rows[at + width + first + c] *= s;
        }
    }

    /// <summary>Turns a step in scaled coordinates into one in the parameters' own units, in place; returns its norm.</summary>
    public double Unscale(double[] cameraStep, double[] pointStep)
    {
        double norm = 0;
        for (int i = 0; i < cameraStep.Length; i++) { cameraStep[i] *= CameraScale[i]; norm += cameraStep[i] * cameraStep[i]; }
        for (int i = 0; i < pointStep.Length; i++) { pointStep[i] *= PointScale[i]; norm += pointStep[i] * pointStep[i]; }
        return Math.Sqrt(norm);
    }
}
