using System.Runtime.CompilerServices;
using IMatching.Geometry.Linear;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Embedded point iterations (Jeong, Nistér, Steedly, Szeliski and Kweon, "Pushing the envelope of modern methods
/// for bundle adjustment", 2012): with the cameras of a trial step fixed, the points are independent, so each one
/// takes a few damped Newton steps of its own 3x3 system, on the same robust model as the joint step
/// (<see cref="RobustCorrector"/>). A point that the joint model barely constrains (two nearly parallel rays whose
/// residuals sit in a robust loss's linear part) is otherwise thrown far by the joint step, which fails, shrinks
/// the trust region for every parameter, and leaves the cameras crawling.
/// </summary>
internal sealed class PointRefiner
{
    /// <summary>Damping of a point's first Newton step, relative to its Hessian's diagonal.</summary>
    private const double InitialDamping = 1e-4;
    /// <summary>Floor of the damping as accepted steps relax it (ten times less after each).</summary>
    private const double MinDamping = 1e-12;
    /// <summary>Damped solves a Newton step may try, damping ten times harder after each that fails to lower the cost.</summary>
    private const int MaxAttempts = 10;

    private readonly ProgramLayout _layout;
    private readonly int _workers;
    private readonly bool _robustCurvature;
    private readonly double _tolerance;
    private readonly int[] _bounds;

    /// <param name="tolerance">A point stops once its step would lower its cost by at most this fraction of it.</param>
    public PointRefiner(ProgramLayout layout, int workers, bool robustCurvature, double tolerance)
    {
        _layout = layout;
        _workers = workers;
        _robustCurvature = robustCurvature;
        _tolerance = tolerance;
        _bounds = Partition.ByWeight(layout.NumPoints, workers, p => layout.PointObsStart[p + 1] - layout.PointObsStart[p]);
    }

    /// <summary>
    /// Moves every free point of <paramref name="trial"/>, whose cameras stay fixed, to the lower-cost of its trial
    /// and its <paramref name="current"/> position, then takes at most <paramref name="iterations"/> Newton steps
    /// from there, each accepted only if it lowers the point's cost: no point ends above either position.
    /// </summary>
    public void Refine(ParameterState trial, ParameterState current, int iterations)
    {
        ForkJoin.Run(_workers, w =>
        {
            for (int p = _bounds[w]; p < _bounds[w + 1]; p++)
                if (_layout.PointFree[p]) trial.Points[p] = RefinePoint(trial, p, trial.Points[p], current.Points[p], iterations);
        });
    }

    private Vec3 RefinePoint(ParameterState state, int point, Vec3 stepped, Vec3 before, int iterations)
    {
        var x = stepped;
        var (cost, h, g) = Linearize(state, point, x);
        double costBefore = Cost(state, point, before);
        if (costBefore < cost || !double.IsFinite(cost))
        {
            x = before;
            (cost, h, g) = Linearize(state, point, x);
        }
        double damping = InitialDamping;
        for (int it = 0; it < iterations; it++)
        {
            if (it > 0) (cost, h, g) = Linearize(state, point, x);
            bool accepted = false;
            for (int attempt = 0; attempt < MaxAttempts && !accepted; attempt++)
            {
                var damped = h + Mat3.Diagonal(damping * h.M00, damping * h.M11, damping * h.M22);
                double det = damped.Determinant;
                if (!(Math.Abs(det) > 0) || !double.IsFinite(det)) { damping *= 10; continue; }
                var d = damped.Inverse() * new Vec3(-g.X, -g.Y, -g.Z);
                // The model's decrease: a step that promises (almost) nothing is not worth a cost evaluation.
                double predicted = -(g.X * d.X + g.Y * d.Y + g.Z * d.Z) - 0.5 * Quadratic(h, d);
                if (!(predicted > _tolerance * cost)) return x;
                var candidate = x + d;
                double c = Cost(state, point, candidate);
                if (c < cost)
                {
                    (x, cost, accepted) = (candidate, c, true);
                    damping = Math.Max(damping / 10, MinDamping);
                }
                else damping *= 10;
            }
            if (!accepted) break;
        }
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Quadratic(Mat3 h, Vec3 d) =>
        d.X * (h.M00 * d.X + h.M01 * d.Y + h.M02 * d.Z)
        + d.Y * (h.M10 * d.X + h.M11 * d.Y + h.M12 * d.Z)
        + d.Z * (h.M20 * d.X + h.M21 * d.Y + h.M22 * d.Z);

    /// <summary>0.5 rho summed over the point's observations at <paramref name="x"/>.</summary>
    private double Cost(ParameterState state, int point, Vec3 x)
    {
        var l = _layout;
        double cost = 0;
        for (int j = l.PointObsStart[point]; j < l.PointObsStart[point + 1]; j++)
        {
            int i = l.PointObsIndex[j], k = l.ObsIntrinsics[i];
            var pixel = l.IntrinsicsModel[k].Project(state.Intrinsics[k], state.CameraFromWorld[l.ObsPose[i]].Act(x), default, default);
            var (ex, ey) = ObservationCost.WeightedResidual(l, i, pixel);
            cost += ObservationCost.Half(l, i, ex * ex + ey * ey);
        }
        return cost;
    }

    /// <summary>Cost, Gauss–Newton Hessian and gradient of the point's observations at <paramref name="x"/>, on the corrected model.</summary>
    private (double Cost, Mat3 H, Vec3 G) Linearize(ParameterState state, int point, Vec3 x)
    {
        var l = _layout;
        Span<double> dPixel = stackalloc double[6];
        double cost = 0;
        // The symmetric Hessian's upper triangle and the gradient, as scalars: no 3x3 temporaries per observation.
        double h00 = 0, h01 = 0, h02 = 0, h11 = 0, h12 = 0, h22 = 0, g0 = 0, g1 = 0, g2 = 0;
        for (int j = l.PointObsStart[point]; j < l.PointObsStart[point + 1]; j++)
        {
            int i = l.PointObsIndex[j], k = l.ObsIntrinsics[i];
            var cameraFromWorld = state.CameraFromWorld[l.ObsPose[i]];
            var pixel = l.IntrinsicsModel[k].Project(state.Intrinsics[k], cameraFromWorld.Act(x), dPixel, default);
            var (ex, ey) = ObservationCost.WeightedResidual(l, i, pixel);
            double s = ex * ex + ey * ey;
            double half = ObservationCost.Robustify(l, i, ex, ey, s, _robustCurvature, out var corrector);
            cost += half;
            var (a0, a1) = corrector.CorrectRows(new Vec3(dPixel[0], dPixel[1], dPixel[2]), new Vec3(dPixel[3], dPixel[4], dPixel[5]));
            // d pixel / d world = d pixel / d camera point * R.
            var u = cameraFromWorld.Rotation.TransposeTimes(a0);
            var v = cameraFromWorld.Rotation.TransposeTimes(a1);
            double r0 = corrector.ResidualScale * ex, r1 = corrector.ResidualScale * ey;
            h00 += u.X * u.X + v.X * v.X; h01 += u.X * u.Y + v.X * v.Y; h02 += u.X * u.Z + v.X * v.Z;
            h11 += u.Y * u.Y + v.Y * v.Y; h12 += u.Y * u.Z + v.Y * v.Z; h22 += u.Z * u.Z + v.Z * v.Z;
            g0 += u.X * r0 + v.X * r1; g1 += u.Y * r0 + v.Y * r1; g2 += u.Z * r0 + v.Z * r1;
        }
        var h = new Mat3(h00, h01, h02, h01, h11, h12, h02, h12, h22);
        var g = new Vec3(g0, g1, g2);
        return (cost, h, g);
    }
}
