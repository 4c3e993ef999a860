using System.Runtime.CompilerServices;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Triggs' correction (Ceres' Corrector), extended to rho'' &lt; 0 when asked (<see cref="SolverOptions.RobustCurvature"/>): rescales a residual and its Jacobian so
/// that the Gauss–Newton model of 0.5 rho(|r|^2) has the exact gradient rho' J^T r and the Hessian
/// J^T (rho' I + 2 rho'' r r^T) J, with the radial curvature factor D = 1 + 2 s rho''/rho' clamped to
/// [<see cref="MinRadialCurvature"/>, 1] so that the model stays convex. Ceres drops the rho'' term when
/// it is negative (every loss here), which leaves plain IRLS: linear convergence wherever a residual sits in
/// the robust part. With the term, LM converges quadratically to the tight tolerance the envelope gradient needs.
/// Corrected: r' = sqrt(rho') / (1 - alpha) r and J' = sqrt(rho') (I - alpha r r^T / s) J, alpha = 1 - sqrt(D).
/// </summary>
internal readonly struct RobustCorrector
{
    /// <summary>Keeps a little radial curvature: Huber's linear branch has none, and a point seen only by such residuals would be singular.</summary>
    public const double MinRadialCurvature = 1e-3;

    private readonly double _residualScale, _m00, _m01, _m11;

    /// <summary>
    /// For the weighted residual (ex, ey) with s = ex^2 + ey^2; <paramref name="sqrtWeight"/> is folded into the
    /// Jacobian factor. Without <paramref name="curvature"/> only sqrt(rho') scales both, as Ceres does for rho'' &lt;= 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RobustCorrector(double ex, double ey, double s, double rho1, double rho2, double sqrtWeight, bool curvature)
    {
        double sqrtRho1 = Math.Sqrt(rho1);
        // Math.Clamp by hand: ReadyToRun code would call it rather than inline it.
        double d = curvature && s > 0 ? Math.Min(Math.Max(1 + 2 * s * rho2 / rho1, MinRadialCurvature), 1) : 1;
        double sqrtD = Math.Sqrt(d);
        double alphaOverS = s > 0 ? (1 - sqrtD) / s : 0;
        _residualScale = sqrtRho1 / sqrtD;
        double c = sqrtWeight * sqrtRho1;
        _m00 = c * (1 - alphaOverS * ex * ex);
        _m01 = -c * alphaOverS * ex * ey;
        _m11 = c * (1 - alphaOverS * ey * ey);
    }

    private RobustCorrector(double residualScale, double m00, double m01, double m11) =>
        (_residualScale, _m00, _m01, _m11) = (residualScale, m00, m01, m11);

    /// <summary>The plain weighted least-squares residual: no loss, only the weight.</summary>
    public static RobustCorrector Plain(double sqrtWeight) => new(1, sqrtWeight, 0, sqrtWeight);

    public double ResidualScale => _residualScale;

    /// <summary>Applies the 2x2 Jacobian factor to two rows of derivatives of the unweighted pixel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (Vec3 Row0, Vec3 Row1) CorrectRows(Vec3 row0, Vec3 row1) => (_m00 * row0 + _m01 * row1, _m01 * row0 + _m11 * row1);

    /// <summary>Applies the 2x2 Jacobian factor to two rows of derivatives of the unweighted pixel, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CorrectRows(double[] values, int row0, int row1, int count)
    {
        for (int j = 0; j < count; j++)
        {
            double a = values[row0 + j], b = values[row1 + j];
            values[row0 + j] = _m00 * a + _m01 * b;
            values[row1 + j] = _m01 * a + _m11 * b;
        }
    }
}
