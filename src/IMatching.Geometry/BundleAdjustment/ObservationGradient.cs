using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>
/// The partial derivative of the BA cost C = sum 0.5 m rho(w |project - u|^2) with respect to one
/// observed pixel u, holding poses, points and intrinsics fixed: -m rho'(s) w (project - u), for an observation
/// standing for m identical residuals (the derivative with respect to the pixel all m share).
/// At a converged solve this is also the total derivative of the optimal cost (envelope theorem:
/// dC/dtheta = 0 there), which is why the upper level needs no unrolling of the solver.
/// </summary>
public static class ObservationGradient
{
    public static Vec2 OfCost(Problem problem, Observation observation)
    {
        var e = Problem.Residual(observation);
        double s = observation.Weight * (e.X * e.X + e.Y * e.Y);
        var loss = observation.Loss ?? problem.DefaultLoss;
        double rho1 = loss is null ? 1 : loss.Evaluate(s).Rho1;
        return -(observation.Multiplicity * rho1 * observation.Weight) * e;
    }
}
