namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>Evaluates residuals, Jacobians and the LM model across workers, each over its own observations.</summary>
internal sealed class ParallelEvaluator(CompiledProblem cp, int workers)
{
    private readonly int[] _bounds = Partition.Even(cp.NumObservations, workers);
    private readonly double[] _partial = new double[workers];

    public double Cost(ParameterState state, bool jacobians)
    {
        Partition.Run(workers, w => _partial[w] = cp.Evaluate(state, _bounds[w], _bounds[w + 1], jacobians));
        double sum = 0;
        foreach (var c in _partial) sum += c;
        return sum;
    }

    /// <summary>Decrease the linearised model predicts: -(J d)^T (r + J d / 2).</summary>
    public double ModelCostChange(SchurEliminator eliminator, double[] cameraStep, double[] pointStep)
    {
        Partition.Run(workers, w =>
        {
            double sum = 0;
            var e = cp.PointJacobian;
            for (int o = _bounds[w]; o < _bounds[w + 1]; o++)
            {
                var (y0, y1) = eliminator.CameraJacobianTimes(o, cameraStep);
                int p = cp.ObsPoint[o];
                if (cp.PointFree[p])
                {
                    double d0 = pointStep[3 * p], d1 = pointStep[3 * p + 1], d2 = pointStep[3 * p + 2];
                    y0 += e[6 * o] * d0 + e[6 * o + 1] * d1 + e[6 * o + 2] * d2;
                    y1 += e[6 * o + 3] * d0 + e[6 * o + 4] * d1 + e[6 * o + 5] * d2;
                }
                sum -= y0 * (cp.Residuals[2 * o] + 0.5 * y0) + y1 * (cp.Residuals[2 * o + 1] + 0.5 * y1);
            }
            _partial[w] = sum;
        });
        double total = 0;
        foreach (var c in _partial) total += c;
        return total;
    }

    /// <summary>Names the first observation whose residual is not finite, for error messages.</summary>
    public string DescribeNonFinite(ParameterState state)
    {
        cp.Evaluate(state, 0, cp.NumObservations, jacobians: false);
        for (int o = 0; o < cp.NumObservations; o++)
            if (!double.IsFinite(cp.Residuals[2 * o]) || !double.IsFinite(cp.Residuals[2 * o + 1]))
                return $"observation {o}: pose {cp.ObsPose[o]}, point {cp.ObsPoint[o]} projects to a non-finite pixel";
        return "no single observation is non-finite; the sum overflowed";
    }
}
