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
    private readonly int _workers;
    /// <summary>Each worker's observations (camera columns, and scaling the rows) and points (point columns).</summary>
    private readonly int[] _observationBounds, _pointBounds;
    /// <summary>Each worker's sums over its observations for the camera columns, added up in worker order.</summary>
    private readonly double[][] _cameraDiagonalParts, _cameraGradientParts;
    private readonly double[] _pointGradientMax;

    public JacobiScaling(ProgramLayout layout, BlockJacobian jacobian, bool enabled, int workers)
    {
        _layout = layout;
        _jacobian = jacobian;
        _enabled = enabled;
        _workers = workers;
        _observationBounds = Partition.Even(layout.NumObservations, workers);
        _pointBounds = Partition.ByWeight(layout.NumPoints, workers, p => layout.PointObsStart[p + 1] - layout.PointObsStart[p] + 1);
        _cameraDiagonalParts = new double[workers][];
        _cameraGradientParts = new double[workers][];
        for (int w = 0; w < workers; w++)
        {
            _cameraDiagonalParts[w] = new double[layout.ReducedSize];
            _cameraGradientParts[w] = new double[layout.ReducedSize];
        }
        _pointGradientMax = new double[workers];
        CameraScale = new double[layout.ReducedSize];
        CameraDiagonal = new double[layout.ReducedSize];
        PointScale = new double[3 * layout.NumPoints];
        PointDiagonal = new double[3 * layout.NumPoints];
    }

    /// <summary>Per reduced camera column: 1 / (1 + column norm), or 1 when scaling is off.</summary>
    public double[] CameraScale { get; }
    public double[] PointScale { get; }
    /// <summary>diag(J^T J) of the scaled Jacobian: what LM damps with.</summary>
    public double[] CameraDiagonal { get; }
    public double[] PointDiagonal { get; }

    /// <summary>
    /// Computes the scales and the scaled diag(J^T J), scales J; returns max |J^T r| (unscaled), Ceres' gradient max norm.
    /// Workers sum the camera columns over their observations and the point columns point by point (each point's sum in
    /// its observations' order, as one thread sums it), then scale their observations' rows.
    /// </summary>
    public double Apply()
    {
        ForkJoin.Run(_workers, AccumulateRange);
        var diagonal = _cameraDiagonalParts[0];
        var gradient = _cameraGradientParts[0];
        for (int w = 1; w < _workers; w++)
        {
            var d = _cameraDiagonalParts[w];
            var g = _cameraGradientParts[w];
            for (int i = 0; i < d.Length; i++) { diagonal[i] += d[i]; gradient[i] += g[i]; }
        }
        double gradientMaxNorm = 0;
        foreach (var g in gradient) gradientMaxNorm = Math.Max(gradientMaxNorm, Math.Abs(g));
        foreach (var g in _pointGradientMax) gradientMaxNorm = Math.Max(gradientMaxNorm, g);
        for (int i = 0; i < CameraScale.Length; i++) CameraDiagonal[i] = Scaled(diagonal[i], out CameraScale[i]);
        if (_enabled) ForkJoin.Run(_workers, ScaleRange);
        return gradientMaxNorm;
    }

    /// <summary>Worker <paramref name="w"/>'s column sums; its points' scales and scaled diagonal.</summary>
    private void AccumulateRange(int w)
    {
        var l = _layout;
        var j = _jacobian;
        var r = j.Residuals;
        var f = j.Camera;
        var e = j.Point;
        int stride = j.CameraStride;
        var cameraDiagonal = _cameraDiagonalParts[w];
        var cameraGradient = _cameraGradientParts[w];
        Array.Clear(cameraDiagonal);
        Array.Clear(cameraGradient);
        for (int o = _observationBounds[w]; o < _observationBounds[w + 1]; o++)
        {
            double r0 = r[2 * o], r1 = r[2 * o + 1];
            int dp = l.ObsPoseDim[o], m = l.ObsCameraDim[o], at = stride * o;
            Accumulate(f, at, m, 0, l.ObsPoseColumn[o], dp, r0, r1, cameraDiagonal, cameraGradient);
            Accumulate(f, at, m, dp, l.ObsIntrinsicsColumn[o], m - dp, r0, r1, cameraDiagonal, cameraGradient);
        }
        double gradientMax = 0;
        for (int p = _pointBounds[w]; p < _pointBounds[w + 1]; p++)
        {
            double d0 = 0, d1 = 0, d2 = 0, g0 = 0, g1 = 0, g2 = 0;
            if (l.PointFree[p])
                for (int idx = l.PointObsStart[p]; idx < l.PointObsStart[p + 1]; idx++)
                {
                    int o = l.PointObsIndex[idx], eo = 6 * o;
                    double r0 = r[2 * o], r1 = r[2 * o + 1];
                    double a0 = e[eo], a1 = e[eo + 1], a2 = e[eo + 2], b0 = e[eo + 3], b1 = e[eo + 4], b2 = e[eo + 5];
                    d0 += a0 * a0 + b0 * b0; d1 += a1 * a1 + b1 * b1; d2 += a2 * a2 + b2 * b2;
                    g0 += a0 * r0 + b0 * r1; g1 += a1 * r0 + b1 * r1; g2 += a2 * r0 + b2 * r1;
                }
            gradientMax = Math.Max(gradientMax, Math.Max(Math.Abs(g0), Math.Max(Math.Abs(g1), Math.Abs(g2))));
            PointDiagonal[3 * p] = Scaled(d0, out PointScale[3 * p]);
            PointDiagonal[3 * p + 1] = Scaled(d1, out PointScale[3 * p + 1]);
            PointDiagonal[3 * p + 2] = Scaled(d2, out PointScale[3 * p + 2]);
        }
        _pointGradientMax[w] = gradientMax;
    }

    /// <summary>A column's scale, 1 / (1 + its norm) (1 when scaling is off), and its scaled squared norm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Scaled(double squaredNorm, out double scale)
    {
        scale = _enabled ? 1 / (1 + Math.Sqrt(squaredNorm)) : 1;
        return squaredNorm * (scale * scale);
    }

    /// <summary>Scales worker <paramref name="w"/>'s observations' camera and point rows.</summary>
    private void ScaleRange(int w)
    {
        var l = _layout;
        var f = _jacobian.Camera;
        var e = _jacobian.Point;
        int stride = _jacobian.CameraStride;
        for (int o = _observationBounds[w]; o < _observationBounds[w + 1]; o++)
        {
            int dp = l.ObsPoseDim[o], m = l.ObsCameraDim[o], at = stride * o;
            Scale(f, at, m, 0, l.ObsPoseColumn[o], dp, CameraScale);
            Scale(f, at, m, dp, l.ObsIntrinsicsColumn[o], m - dp, CameraScale);
            Scale(e, 6 * o, 3, 0, 3 * l.ObsPoint[o], 3, PointScale);
        }
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
