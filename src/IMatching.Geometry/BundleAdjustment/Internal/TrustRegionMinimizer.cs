using System.Diagnostics;

namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// The minimisation loop of <see cref="Solver"/>, as Ceres' TrustRegionMinimizer: linearise, solve the
/// damped normal equations by Schur elimination, try the step, accept or reject it, and stop on Ceres'
/// tolerances. Every iteration, accepted or not, is logged with the gradient at the iterate it ends on.
/// </summary>
internal sealed class TrustRegionMinimizer : IDisposable
{
    private readonly ProgramLayout _layout;
    private readonly SolverOptions _options;
    private readonly Summary _summary;
    private readonly BlockJacobian _jacobian;
    private readonly Evaluator _evaluator;
    private readonly JacobiScaling _scaling;
    private readonly SchurEliminator _eliminator;
    private readonly ReducedSystem _system;
    private readonly LevenbergMarquardtStrategy _strategy;
    private readonly PointRefiner? _refiner;
    private readonly double[] _rhs, _cameraStep, _pointStep;
    private readonly Stopwatch _watch = new();

    private ParameterState _state, _candidate;
    private double _cost, _gradientMaxNorm, _initialGradientMaxNorm, _xNorm;

    public TrustRegionMinimizer(ProgramLayout layout, ReducedSystem system, SolverOptions options, Summary summary, ParameterState start)
    {
        _layout = layout;
        _options = options;
        _summary = summary;
        _system = system;
        int workers = Math.Min(options.NumThreads, Math.Max(1, layout.NumObservations / 256));
        _jacobian = new BlockJacobian(layout);
        _evaluator = new Evaluator(layout, _jacobian, workers, options.RobustCurvature);
        _scaling = new JacobiScaling(layout, _jacobian, options.JacobiScaling, workers);
        _eliminator = new SchurEliminator(layout, _jacobian, system, workers);
        _strategy = new LevenbergMarquardtStrategy(options);
        if (options.EmbeddedPointIterations > 0) _refiner = new PointRefiner(layout, workers, options.RobustCurvature, options.FunctionTolerance);
        _rhs = new double[layout.ReducedSize];
        _cameraStep = new double[layout.ReducedSize];
        _pointStep = new double[3 * layout.NumPoints];
        _state = start;
        _candidate = layout.CreateState();
    }

    /// <summary>The iterate the minimiser stopped at.</summary>
    public ParameterState Solution => _state;

    /// <summary>Gives the Jacobian's buffers back for the thread's next solve (JacobianBuffers); the minimiser cannot run after.</summary>
    public void Dispose() => _jacobian.Dispose();

    public Stop Run()
    {
        _watch.Restart();
        _cost = _evaluator.Evaluate(_state, jacobians: false);
        _summary.ResidualEvaluationSeconds += _watch.Elapsed.TotalSeconds;
        _summary.InitialCost = _summary.FinalCost = _cost;
        if (!double.IsFinite(_cost))
            return new Stop(TerminationType.Failure, $"initial cost is not finite ({_evaluator.DescribeNonFinite(_state)})");
        _xNorm = _state.Norm();
        Linearize();
        _initialGradientMaxNorm = _gradientMaxNorm;
        if (Log(new IterationSummary(0, _cost, 0, _gradientMaxNorm, 0, 0, _strategy.Radius, true)) is { } stop) return stop;

        while (true)
        {
            if (_gradientMaxNorm <= _options.GradientTolerance)
                return new Stop(TerminationType.Convergence, $"gradient max norm {_gradientMaxNorm:E3} <= {_options.GradientTolerance:E3}");
            if (_summary.Iterations >= _options.MaxIterations)
                return new Stop(TerminationType.NoConvergence, $"maximum number of iterations reached ({_options.MaxIterations})");

            bool solved = ComputeStep(out double modelCostChange, out double stepNorm);
            if (solved && stepNorm <= _options.ParameterTolerance * (_xNorm + _options.ParameterTolerance) && GradientLowEnough())
                return new Stop(TerminationType.Convergence, $"parameter tolerance reached: step norm {stepNorm:E3}");

            double newCost = solved && modelCostChange > 0 && double.IsFinite(stepNorm) ? CandidateCost() : double.NaN;
            double relativeDecrease = (_cost - newCost) / modelCostChange;
            if (double.IsFinite(newCost) && relativeDecrease > _options.MinRelativeDecrease)
            {
                double change = _cost - newCost;
                Accept(newCost, relativeDecrease);
                if (Log(new IterationSummary(_summary.Iterations, _cost, change, _gradientMaxNorm, stepNorm, relativeDecrease, _strategy.Radius, true)) is { } stopped) return stopped;
                if (Math.Abs(change) <= _options.FunctionTolerance * (_cost + change) && GradientLowEnough())
                    return new Stop(TerminationType.Convergence, $"function tolerance reached: |cost change|/cost {Math.Abs(change) / (_cost + change):E3} <= {_options.FunctionTolerance:E3}");
            }
            else
            {
                Reject();
                if (Log(new IterationSummary(_summary.Iterations, _cost, 0, _gradientMaxNorm, stepNorm, relativeDecrease, _strategy.Radius, false)) is { } rejected) return rejected;
                if (_strategy.Collapsed)
                    return new Stop(TerminationType.Failure, $"trust region radius {_strategy.Radius:E3} fell below {_options.MinTrustRegionRadius:E3}");
            }
        }
    }

    /// <summary>
    /// Whether the gradient has fallen far enough for the function and parameter tolerances to count
    /// (<see cref="SolverOptions.ConvergenceGradientRatio"/>). Exact data is exempt (cost per observation below
    /// <see cref="ExactCostPerObservation"/>): its gradient starts at rounding noise and cannot shrink by the ratio.
    /// </summary>
    private bool GradientLowEnough() =>
        _options.ConvergenceGradientRatio is not { } ratio
        || _gradientMaxNorm <= ratio * _initialGradientMaxNorm
        || _cost <= ExactCostPerObservation * _layout.NumObservations;

    /// <summary>Half a squared residual of about 1.4e-6 px: far below any real measurement's noise, far above rounding.</summary>
    private const double ExactCostPerObservation = 1e-12;

    /// <summary>Residuals, Jacobians and their scaling at the current iterate; sets the gradient max norm.</summary>
    private void Linearize()
    {
        _watch.Restart();
        _evaluator.Evaluate(_state, jacobians: true);
        _gradientMaxNorm = _scaling.Apply();
        _summary.JacobianEvaluationSeconds += _watch.Elapsed.TotalSeconds;
    }

    /// <summary>The LM step in the parameters' units; false when the damped system is not positive definite.</summary>
    private bool ComputeStep(out double modelCostChange, out double stepNorm)
    {
        _watch.Restart();
        bool solved = _eliminator.Eliminate(_strategy.Mu, _scaling.CameraDiagonal, _scaling.PointDiagonal, _options.MinLmDiagonal, _options.MaxLmDiagonal, _rhs);
        _summary.SchurEliminationSeconds += _watch.Elapsed.TotalSeconds;
        solved = solved && (_layout.ReducedSize == 0 || _system.FactorizeAndSolve(_rhs, _cameraStep));
        if (solved) _eliminator.BackSubstitute(_cameraStep, _pointStep);
        _summary.LinearSolverSeconds += _watch.Elapsed.TotalSeconds;
        modelCostChange = solved ? _evaluator.ModelCostChange(_cameraStep, _pointStep) : double.NaN;
        stepNorm = solved ? _scaling.Unscale(_cameraStep, _pointStep) : 0;
        return solved;
    }

    /// <summary>
    /// The cost at state ⊞ step (its points refined with the cameras fixed, when asked), linearised there in the same
    /// pass over the current linearisation: most steps are accepted, and an accepted step needs that linearisation
    /// next; a rejected one evaluates the current one again (<see cref="Reject"/>).
    /// </summary>
    private double CandidateCost()
    {
        _layout.Plus(_state, _cameraStep, _pointStep, _candidate);
        if (_refiner is not null)
        {
            _watch.Restart();
            _refiner.Refine(_candidate, _state, _options.EmbeddedPointIterations);
            _summary.PointRefinementSeconds += _watch.Elapsed.TotalSeconds;
        }
        _watch.Restart();
        double cost = _evaluator.Evaluate(_candidate, jacobians: true);
        _summary.JacobianEvaluationSeconds += _watch.Elapsed.TotalSeconds;
        return cost;
    }

    private void Accept(double newCost, double relativeDecrease)
    {
        _summary.SuccessfulSteps++;
        (_state, _candidate) = (_candidate, _state);
        _cost = newCost;
        _summary.FinalCost = newCost;
        _xNorm = _state.Norm();
        _strategy.StepAccepted(relativeDecrease);
        _gradientMaxNorm = _scaling.Apply();
    }

    private void Reject()
    {
        _summary.UnsuccessfulSteps++;
        _strategy.StepRejected();
        // The trial evaluation replaced the linearisation (and moved the pose manifolds' tangent bases) with the trial
        // point's; the next step is taken from the current iterate again. Same state, so the same bits as before.
        Linearize();
    }

    /// <summary>Records the iteration and asks the callback; a stop request becomes the termination.</summary>
    private Stop? Log(IterationSummary iteration)
    {
        _summary.IterationLog.Add(iteration);
        return _options.Callback?.Invoke(iteration) ?? true ? null : new Stop(TerminationType.UserStop, "stopped by the callback");
    }

    /// <summary>
    /// Why the minimiser stopped. A class of this project's rather than a tuple: a tuple with its enum in it is a generic
    /// instantiation the ReadyToRun image cannot hold, which a cold solve would JIT-compile.
    /// </summary>
    public sealed class Stop(TerminationType type, string message)
    {
        public TerminationType Type => type;
        public string Message => message;
    }
}
