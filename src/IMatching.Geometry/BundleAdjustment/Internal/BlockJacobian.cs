using System.Runtime.CompilerServices;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The robustified residuals and Jacobian at the current linearisation point, in the storage the
/// elimination reads: per observation 2 residuals, a 2 x m camera-side block [pose tangent | intrinsics]
/// (row-major, m = the observation's camera width) and a 2 x 3 point block. One set of buffers: the evaluator
/// linearises a trial point over the current linearisation, which a rejected step then evaluates again. Steps are
/// rarely rejected (none in the four BAL problems' solves), and a second set was a second set of fresh pages for a
/// cold solve to fault in.
/// </summary>
/// <remarks>
/// The solver's kernels index these arrays directly (no spans, slices or tuples): ReadyToRun code cannot
/// inline the framework's span helpers, and a call per observation and column costs more than the arithmetic.
/// </remarks>
internal sealed class BlockJacobian : IDisposable
{
    private readonly ProgramLayout _layout;

    public BlockJacobian(ProgramLayout layout)
    {
        _layout = layout;
        CameraStride = Math.Max(1, 2 * layout.MaxObsCameraDim);
        // Kept buffers may be longer than asked for: the kernels index them by observation and never read their length.
        Residuals = JacobianBuffers.Take(2 * layout.NumObservations);
        Camera = JacobianBuffers.Take(CameraStride * layout.NumObservations);
        Point = JacobianBuffers.Take(6 * layout.NumObservations);
    }

    /// <summary>Gives the buffers back for the thread's next solve; the Jacobian is empty after.</summary>
    public void Dispose()
    {
        JacobianBuffers.Give(Residuals);
        JacobianBuffers.Give(Camera);
        JacobianBuffers.Give(Point);
        Residuals = Camera = Point = Empty;
    }

    /// <summary>Not <c>[]</c>: that is Array.Empty&lt;double&gt;, a generic method a cold process JIT-compiles.</summary>
    private static readonly double[] Empty = new double[0];

    public double[] Residuals { get; private set; }
    /// <summary>Observation o's camera block starts at <c>CameraStride * o</c>: row 0 then row 1, each <c>ObsCameraDim[o]</c> wide.</summary>
    public double[] Camera { get; private set; }
    public int CameraStride { get; }
    /// <summary>d(residual)/d(point), 6 per observation, row-major.</summary>
    public double[] Point { get; private set; }

    /// <summary>F_o * cameraStep for one observation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CameraTimes(int o, double[] cameraStep, out double y0, out double y1)
    {
        var l = _layout;
        var f = Camera;
        int dp = l.ObsPoseDim[o], dk = l.ObsIntrinsicsDim[o], m = dp + dk, at = CameraStride * o;
        double s0 = 0, s1 = 0;
        for (int c = 0, column = l.ObsPoseColumn[o]; c < dp; c++)
        {
            double d = cameraStep[column + c];
            s0 += f[at + c] * d;
            s1 += f[at + m + c] * d;
        }
        for (int c = 0, column = l.ObsIntrinsicsColumn[o]; c < dk; c++)
        {
            double d = cameraStep[column + c];
            s0 += f[at + dp + c] * d;
            s1 += f[at + m + dp + c] * d;
        }
        y0 = s0;
        y1 = s1;
    }

    /// <summary>E_o * pointStep for one observation; zero when its point is held constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PointTimes(int o, double[] pointStep, out double z0, out double z1)
    {
        int p = _layout.ObsPoint[o];
        if (!_layout.PointFree[p]) { z0 = z1 = 0; return; }
        var e = Point;
        int eo = 6 * o;
        double d0 = pointStep[3 * p], d1 = pointStep[3 * p + 1], d2 = pointStep[3 * p + 2];
        z0 = e[eo] * d0 + e[eo + 1] * d1 + e[eo + 2] * d2;
        z1 = e[eo + 3] * d0 + e[eo + 4] * d1 + e[eo + 5] * d2;
    }
}
