using System.Runtime.CompilerServices;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// One observation's weighted residual, cost and robust correction, shared by the joint evaluation
/// (<see cref="Evaluator"/>) and the per-point one (<see cref="PointRefiner"/>) so both see the same objective.
/// </summary>
internal static class ObservationCost
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Ex, double Ey) WeightedResidual(ProgramLayout layout, int observation, Vec2 pixel)
    {
        double w = layout.ObsSqrtWeight[observation];
        return (w * (pixel.X - layout.ObsU[observation]), w * (pixel.Y - layout.ObsV[observation]));
    }

    /// <summary>0.5 rho(s), times the multiplicity of an observation with a loss; 0.5 s without one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Half(ProgramLayout layout, int observation, double s) =>
        layout.ObsLoss[observation] is { } loss ? 0.5 * layout.ObsMultiplicity[observation] * loss.Evaluate(s).Rho : 0.5 * s;

    /// <summary>
    /// The cost <see cref="Half"/> gives and the correction of the residual and its Jacobian, from one evaluation of the loss.
    /// The correction is an out parameter: a tuple with this project's struct in it is a generic instantiation the
    /// ReadyToRun image cannot hold, the one method a cold solve would JIT-compile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Robustify(ProgramLayout layout, int observation, double ex, double ey, double s, bool curvature, out RobustCorrector corrector)
    {
        double w = layout.ObsSqrtWeight[observation];
        if (layout.ObsLoss[observation] is not { } loss)
        {
            corrector = RobustCorrector.Plain(w);
            return 0.5 * s;
        }
        // m identical residuals: m times the cost, gradient and curvature (Ceres' ScaledLoss with a = m).
        double multiplicity = layout.ObsMultiplicity[observation];
        var (rho, rho1, rho2) = loss.Evaluate(s);
        corrector = new RobustCorrector(ex, ey, s, Math.Max(double.Epsilon, multiplicity * rho1), multiplicity * rho2, w, curvature);
        return 0.5 * multiplicity * rho;
    }
}
