using System.Diagnostics;
using IMatching.Geometry.BundleAdjustment.Internal;

namespace IMatching.Geometry.BundleAdjustment;

/// <summary>
/// Levenberg–Marquardt with a trust region, as Ceres runs it: Jacobi scaling, Schur elimination of
/// the points, the reduced camera system by dense or block-sparse Cholesky, and Ceres' step
/// acceptance and termination rules. Writes the solution back into the problem's blocks.
/// </summary>
public static class Solver
{
    public static Summary Solve(Problem problem, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new SolverOptions();
        options.Validate();
        var total = Stopwatch.StartNew();
        var summary = new Summary
        {
            Poses = problem.Poses.Count,
            Points = problem.Points.Count,
            IntrinsicsBlocks = problem.Intrinsics.Count,
            Observations = problem.Observations.Count,
            NumThreads = options.NumThreads,
        };

        var cp = new CompiledProblem(problem);
        var state = cp.CreateState();
        var candidate = cp.CreateState();
        CompiledProblem.Load(problem, state);
        var linear = options.LinearSolver == LinearSolverType.Auto
            ? (cp.ReducedSize <= options.DenseSchurMaxSize ? LinearSolverType.DenseSchur : LinearSolverType.SparseSchur)
            : options.LinearSolver;
        ReducedSystem system = linear == LinearSolverType.DenseSchur
            ? new DenseReducedSystem(cp.BlockOffset, cp.BlockDim)
            : BlockSparseReducedSystem.Create(cp);
        int workers = Math.Min(options.NumThreads, Math.Max(1, cp.NumObservations / 256));
        var eliminator = new SchurEliminator(cp, system, workers);
        var evaluator = new ParallelEvaluator(cp, workers);
        summary.LinearSolverUsed = linear;
        summary.ReducedSystemSize = cp.ReducedSize;
        summary.PreprocessorSeconds = total.Elapsed.TotalSeconds;

        var sw = Stopwatch.StartNew();
        double cost = evaluator.Cost(state, jacobians: false);
        summary.ResidualEvaluationSeconds += sw.Elapsed.TotalSeconds;
        summary.InitialCost = cost;
        summary.FinalCost = cost;
        if (!double.IsFinite(cost))
        {
            summary.Termination = TerminationType.Failure;
            summary.Message = $"initial cost is not finite ({evaluator.DescribeNonFinite(state)})";
            summary.TotalSeconds = total.Elapsed.TotalSeconds;
            return summary;
        }

        int n = cp.ReducedSize;
        var scaleCamera = new double[n];
        var scalePoint = new double[3 * cp.NumPoints];
        var diagCamera = new double[n];
        var diagPoint = new double[3 * cp.NumPoints];
        var rhs = new double[n];
        var cameraStep = new double[n];
        var pointStep = new double[3 * cp.NumPoints];
        double radius = options.InitialTrustRegionRadius, decreaseFactor = 2;
        bool linearizationStale = true;
        double xNorm = state.Norm();

        while (true)
        {
            if (linearizationStale)
            {
                sw.Restart();
                cp.UpdateSphereBases(state);
                evaluator.Cost(state, jacobians: true);
                double gradientMaxNorm = JacobiScaling.Apply(cp, options.JacobiScaling, scaleCamera, scalePoint, diagCamera, diagPoint);
                summary.JacobianEvaluationSeconds += sw.Elapsed.TotalSeconds;
                linearizationStale = false;
                if (gradientMaxNorm <= options.GradientTolerance)
                    return Finish(TerminationType.Convergence, $"gradient max norm {gradientMaxNorm:E3} <= {options.GradientTolerance:E3}");
            }
            if (summary.Iterations >= options.MaxIterations)
                return Finish(TerminationType.NoConvergence, $"maximum number of iterations reached ({options.MaxIterations})");

            sw.Restart();
            double mu = 1 / radius;
            bool solved = eliminator.Eliminate(mu, diagCamera, diagPoint, options.MinLmDiagonal, options.MaxLmDiagonal, rhs);
            summary.SchurEliminationSeconds += sw.Elapsed.TotalSeconds;
            solved = solved && (n == 0 || system.FactorizeAndSolve(rhs, cameraStep));
            if (solved) eliminator.BackSubstitute(cameraStep, pointStep);
            summary.LinearSolverSeconds += sw.Elapsed.TotalSeconds;

            double modelCostChange = solved ? evaluator.ModelCostChange(eliminator, cameraStep, pointStep) : double.NaN;
            double stepNorm = 0;
            if (solved)
            {
                for (int i = 0; i < n; i++) { cameraStep[i] *= scaleCamera[i]; stepNorm += cameraStep[i] * cameraStep[i]; }
                for (int i = 0; i < pointStep.Length; i++) { pointStep[i] *= scalePoint[i]; stepNorm += pointStep[i] * pointStep[i]; }
                stepNorm = Math.Sqrt(stepNorm);
                if (stepNorm <= options.ParameterTolerance * (xNorm + options.ParameterTolerance))
                    return Finish(TerminationType.Convergence, $"parameter tolerance reached: step norm {stepNorm:E3}");
            }

            double newCost = double.NaN;
            if (solved && modelCostChange > 0 && double.IsFinite(stepNorm))
            {
                cp.Plus(state, cameraStep, pointStep, candidate);
                sw.Restart();
                newCost = evaluator.Cost(candidate, jacobians: false);
                summary.ResidualEvaluationSeconds += sw.Elapsed.TotalSeconds;
            }
            double relativeDecrease = (cost - newCost) / modelCostChange;
            bool success = double.IsFinite(newCost) && relativeDecrease > options.MinRelativeDecrease;
            if (success)
            {
                summary.SuccessfulSteps++;
                double change = cost - newCost;
                (state, candidate) = (candidate, state);
                cost = newCost;
                xNorm = state.Norm();
                radius = Math.Min(options.MaxTrustRegionRadius, radius / Math.Max(1.0 / 3, 1 - Math.Pow(2 * relativeDecrease - 1, 3)));
                decreaseFactor = 2;
                linearizationStale = true;
                if (!Log(change, true)) return Finish(TerminationType.UserStop, "stopped by the callback");
                if (Math.Abs(change) <= options.FunctionTolerance * (cost + change))
                    return Finish(TerminationType.Convergence, $"function tolerance reached: |cost change|/cost {Math.Abs(change) / (cost + change):E3} <= {options.FunctionTolerance:E3}");
            }
            else
            {
                summary.UnsuccessfulSteps++;
                radius /= decreaseFactor;
                decreaseFactor *= 2;
                if (!Log(0, false)) return Finish(TerminationType.UserStop, "stopped by the callback");
                if (radius < options.MinTrustRegionRadius)
                    return Finish(TerminationType.Failure, $"trust region radius {radius:E3} fell below {options.MinTrustRegionRadius:E3}");
            }

            bool Log(double change, bool ok)
            {
                var it = new IterationSummary(summary.Iterations, cost, change, double.NaN, stepNorm, relativeDecrease, radius, ok);
                summary.IterationLog.Add(it);
                return options.Callback?.Invoke(it) ?? true;
            }
        }

        Summary Finish(TerminationType termination, string message)
        {
            CompiledProblem.Store(state, problem);
            summary.FinalCost = cost;
            summary.Termination = termination;
            summary.Message = message;
            summary.TotalSeconds = total.Elapsed.TotalSeconds;
            return summary;
        }
    }
}
