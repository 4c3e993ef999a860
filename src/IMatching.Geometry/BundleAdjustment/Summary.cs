using System.Globalization;
using System.Text;

namespace IMatching.Geometry.BundleAdjustment;

public enum TerminationType
{
    /// <summary>Function, gradient or parameter tolerance reached.</summary>
    Convergence,
    /// <summary>Iteration limit reached before any tolerance.</summary>
    NoConvergence,
    /// <summary>The trust region collapsed or the problem could not be evaluated.</summary>
    Failure,
    UserStop,
}

/// <summary>
/// One line of the iteration log, as Ceres prints it: iteration 0 is the start; each later one is a step,
/// accepted or not. Cost and <see cref="GradientMaxNorm"/> (max |J^T r|) are those of the iterate the solver
/// holds after the iteration.
/// </summary>
public sealed record IterationSummary(int Iteration, double Cost, double CostChange, double GradientMaxNorm, double StepNorm, double RelativeDecrease, double TrustRegionRadius, bool StepIsSuccessful);

/// <summary>What a solve did and why it stopped, as Ceres' Solver::Summary.</summary>
public sealed class Summary
{
    public double InitialCost { get; internal set; }
    public double FinalCost { get; internal set; }
    public TerminationType Termination { get; internal set; }
    public string Message { get; internal set; } = "";
    public int SuccessfulSteps { get; internal set; }
    public int UnsuccessfulSteps { get; internal set; }
    public int Iterations => SuccessfulSteps + UnsuccessfulSteps;
    public LinearSolverType LinearSolverUsed { get; internal set; }
    public int NumThreads { get; internal set; }
    public int ReducedSystemSize { get; internal set; }
    public int Poses { get; internal set; }
    public int Points { get; internal set; }
    public int IntrinsicsBlocks { get; internal set; }
    public int Observations { get; internal set; }
    public double PreprocessorSeconds { get; internal set; }
    public double ResidualEvaluationSeconds { get; internal set; }
    public double JacobianEvaluationSeconds { get; internal set; }
    /// <summary>Linear solver time: Schur elimination, factorisation and back-substitution.</summary>
    public double LinearSolverSeconds { get; internal set; }
    /// <summary>The part of <see cref="LinearSolverSeconds"/> spent forming the reduced camera system.</summary>
    public double SchurEliminationSeconds { get; internal set; }
    /// <summary>Embedded point iterations (<see cref="SolverOptions.EmbeddedPointIterations"/>); 0 without them.</summary>
    public double PointRefinementSeconds { get; internal set; }
    public double TotalSeconds { get; internal set; }
    /// <summary>Iteration 0 (the start), then every step: <see cref="Iterations"/> + 1 entries.</summary>
    public List<IterationSummary> IterationLog { get; } = [];

    /// <summary>The trust region radius the minimiser ended with (NaN before iteration 0): a warm start for the next solve of a nearby problem.</summary>
    public double FinalTrustRegionRadius => IterationLog.Count == 0 ? double.NaN : IterationLog[^1].TrustRegionRadius;

    public bool IsUsable => Termination is TerminationType.Convergence or TerminationType.NoConvergence or TerminationType.UserStop;

    public string BriefReport() => string.Create(CultureInfo.InvariantCulture,
        $"LM: initial cost {InitialCost:E6}, final cost {FinalCost:E6}, {Iterations} iterations ({SuccessfulSteps} successful), {Termination}: {Message}, {TotalSeconds:F3} s");

    public string FullReport()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"{"Poses",-28}{Poses}");
        sb.AppendLine(c, $"{"Points",-28}{Points}");
        sb.AppendLine(c, $"{"Intrinsics blocks",-28}{IntrinsicsBlocks}");
        sb.AppendLine(c, $"{"Observations",-28}{Observations}");
        sb.AppendLine(c, $"{"Linear solver",-28}{LinearSolverUsed} ({ReducedSystemSize} reduced DOF)");
        sb.AppendLine(c, $"{"Threads",-28}{NumThreads}");
        sb.AppendLine();
        sb.AppendLine(c, $"{"Initial cost",-28}{InitialCost:E6}");
        sb.AppendLine(c, $"{"Final cost",-28}{FinalCost:E6}");
        sb.AppendLine(c, $"{"Change",-28}{InitialCost - FinalCost:E6}");
        sb.AppendLine(c, $"{"Successful steps",-28}{SuccessfulSteps}");
        sb.AppendLine(c, $"{"Unsuccessful steps",-28}{UnsuccessfulSteps}");
        sb.AppendLine();
        sb.AppendLine(c, $"{"Preprocessor",-28}{PreprocessorSeconds:F4} s");
        sb.AppendLine(c, $"{"  Residual evaluation",-28}{ResidualEvaluationSeconds:F4} s");
        sb.AppendLine(c, $"{"  Jacobian evaluation",-28}{JacobianEvaluationSeconds:F4} s");
        sb.AppendLine(c, $"{"  Linear solver",-28}{LinearSolverSeconds:F4} s");
        sb.AppendLine(c, $"{"    Schur elimination",-28}{SchurEliminationSeconds:F4} s");
        if (PointRefinementSeconds > 0) sb.AppendLine(c, $"{"  Point refinement",-28}{PointRefinementSeconds:F4} s");
        sb.AppendLine(c, $"{"Total",-28}{TotalSeconds:F4} s");
        sb.AppendLine();
        sb.AppendLine(c, $"Termination: {Termination} ({Message})");
        return sb.ToString();
    }
}
