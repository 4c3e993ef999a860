namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The robustified residuals and Jacobian at the current linearisation point, in the storage the
/// elimination reads: per observation 2 residuals, a 2 x m camera-side block [pose tangent | intrinsics]
/// (row-major, m = the observation's camera width) and a 2 x 3 point block. Owns its buffers.
/// </summary>
internal sealed class BlockJacobian
{
    private readonly ProgramLayout _layout;
    private readonly int _cameraStride;

    public BlockJacobian(ProgramLayout layout)
    {
        _layout = layout;
        _cameraStride = 2 * layout.ObsCameraDim.Max();
        Residuals = new double[2 * layout.NumObservations];
        Camera = new double[Math.Max(1, _cameraStride) * layout.NumObservations];
        Point = new double[6 * layout.NumObservations];
    }

    public double[] Residuals { get; }
    public double[] Camera { get; }
    /// <summary>d(residual)/d(point), 6 per observation, row-major.</summary>
    public double[] Point { get; }

    /// <summary>Observation <paramref name="o"/>'s camera block: row 0 then row 1, each <c>ObsCameraDim[o]</c> wide.</summary>
    public Span<double> CameraRows(int o) => Camera.AsSpan(_cameraStride * o, 2 * _layout.ObsCameraDim[o]);

    /// <summary>The reduced column of camera column <paramref name="c"/> of observation <paramref name="o"/>.</summary>
    public int CameraColumn(int o, int c)
    {
        var l = _layout;
        int pose = l.ObsPose[o], dp = l.PoseDims[pose];
        return c < dp ? l.PoseColumn[pose] + c : l.IntrinsicsColumn[l.ObsIntrinsics[o]] + c - dp;
    }

    /// <summary>F_o * cameraStep for one observation (2 values).</summary>
    public (double, double) CameraTimes(int o, ReadOnlySpan<double> cameraStep)
    {
        var l = _layout;
        int pose = l.ObsPose[o], intrinsics = l.ObsIntrinsics[o];
        int dp = l.PoseDims[pose], dk = l.IntrinsicsDims[intrinsics], m = dp + dk;
        var f = CameraRows(o);
        double y0 = 0, y1 = 0;
        if (dp > 0)
        {
            var d = cameraStep.Slice(l.PoseColumn[pose], dp);
            for (int c = 0; c < dp; c++) { y0 += f[c] * d[c]; y1 += f[m + c] * d[c]; }
        }
        if (dk > 0)
        {
            var d = cameraStep.Slice(l.IntrinsicsColumn[intrinsics], dk);
            for (int c = 0; c < dk; c++) { y0 += f[dp + c] * d[c]; y1 += f[m + dp + c] * d[c]; }
        }
        return (y0, y1);
    }

    /// <summary>E_o * pointStep for one observation (2 values); zero when its point is held constant.</summary>
    public (double, double) PointTimes(int o, ReadOnlySpan<double> pointStep)
    {
        int p = _layout.ObsPoint[o];
        if (!_layout.PointFree[p]) return (0, 0);
        var e = Point.AsSpan(6 * o, 6);
        double d0 = pointStep[3 * p], d1 = pointStep[3 * p + 1], d2 = pointStep[3 * p + 2];
        return (e[0] * d0 + e[1] * d1 + e[2] * d2, e[3] * d0 + e[4] * d1 + e[5] * d2);
    }
}
