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
    // Hot kernel: JIT-compiled fully at first call rather than run from ReadyToRun code, which cannot inline the
    // framework's span and vector helpers (README, Against Ceres: the cold CLI solve ran at half speed).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Apply()
    {
        var l = _layout;
        var j = _jacobian;
        var r = j.Residuals;
        Array.Clear(CameraDiagonal);
        Array.Clear(PointDiagonal);
        Array.Clear(_gradientCamera);
        Array.Clear(_gradientPoint);
        for (int o = 0; o < l.NumObservations; o++)
        {
            double r0 = r[2 * o], r1 = r[2 * o + 1];
            int m = l.ObsCameraDim[o];
            var f = j.CameraRows(o);
            for (int c = 0; c < m; c++)
            {
                double a = f[c], b = f[m + c];
                int column = j.CameraColumn(o, c);
                CameraDiagonal[column] += a * a + b * b;
                _gradientCamera[column] += a * r0 + b * r1;
            }
            int p = l.ObsPoint[o];
            if (!l.PointFree[p]) continue;
            for (int c = 0; c < 3; c++)
            {
                double a = j.Point[6 * o + c], b = j.Point[6 * o + 3 + c];
                PointDiagonal[3 * p + c] += a * a + b * b;
                _gradientPoint[3 * p + c] += a * r0 + b * r1;
            }
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
            int m = l.ObsCameraDim[o];
            var f = j.CameraRows(o);
            for (int c = 0; c < m; c++)
            {
                double scale = CameraScale[j.CameraColumn(o, c)];
                f[c] *= scale;
                f[m + c] *= scale;
            }
            int p = l.ObsPoint[o];
            for (int c = 0; c < 3; c++)
            {
                j.Point[6 * o + c] *= PointScale[3 * p + c];
                j.Point[6 * o + 3 + c] *= PointScale[3 * p + c];
            }
        }
        return gradientMaxNorm;
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
