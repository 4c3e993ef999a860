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

        var layout = new ProgramLayout(problem);
        var state = layout.CreateState();
        ProgramLayout.Load(problem, state);
        summary.LinearSolverUsed = ChooseLinearSolver(layout, options);
        summary.ReducedSystemSize = layout.ReducedSize;
        ReducedSystem system = summary.LinearSolverUsed != LinearSolverType.DenseSchur ? BlockSparseReducedSystem.Create(layout)
            : layout.ReducedSize <= RowMajorReducedSystem.MaxSize ? new RowMajorReducedSystem(layout.BlockOffset, layout.BlockDim)
            : new DenseReducedSystem(layout.BlockOffset, layout.BlockDim);
        using var minimizer = new TrustRegionMinimizer(layout, system, options, summary, state);
        summary.PreprocessorSeconds = total.Elapsed.TotalSeconds;

        var stop = minimizer.Run();
        summary.Termination = stop.Type;
        summary.Message = stop.Message;
        if (summary.Termination != TerminationType.Failure || summary.Iterations > 0)
            ProgramLayout.Store(minimizer.Solution, problem);
        summary.TotalSeconds = total.Elapsed.TotalSeconds;
        return summary;
    }

    private static LinearSolverType ChooseLinearSolver(ProgramLayout layout, SolverOptions options) =>
        options.LinearSolver != LinearSolverType.Auto ? options.LinearSolver
        : layout.ReducedSize <= options.DenseSchurMaxSize ? LinearSolverType.DenseSchur
        : LinearSolverType.SparseSchur;
}
