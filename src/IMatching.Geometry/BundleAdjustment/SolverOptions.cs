namespace IMatching.Geometry.BundleAdjustment;

public enum LinearSolverType
{
    /// <summary>Dense Schur when the reduced camera system is small, block-sparse Schur otherwise.</summary>
    Auto,
    /// <summary>Reduced camera system as a dense matrix, factorised by dense Cholesky.</summary>
    DenseSchur,
    /// <summary>Reduced camera system in blocks, factorised by block-sparse Cholesky after a fill-reducing ordering.</summary>
    SparseSchur,
}

/// <summary>Levenberg–Marquardt settings; defaults are Ceres' (Solver::Options).</summary>
public sealed record SolverOptions
{
    public int MaxIterations { get; init; } = 50;
    public double FunctionTolerance { get; init; } = 1e-6;
    /// <summary>
    /// When set, the function and parameter tolerances end the solve only where the gradient's max norm has also fallen
    /// to this fraction of its initial value. Alone they are met by any short step, and after a run of rejected steps
    /// the trust region can be so small that an accepted step is short, and changes the cost little, far from the
    /// optimum (LM's false convergence; seen in the mapper's final BA with max |J^T r| still 15 % of where it
    /// started). Exact data (residuals of about 1e-6 px and less) is exempt: its gradient is rounding noise from the start.
    /// Null: the tolerances alone, as in Ceres.
    /// </summary>
    public double? ConvergenceGradientRatio { get; init; }
    public double GradientTolerance { get; init; } = 1e-10;
    public double ParameterTolerance { get; init; } = 1e-8;
    public double InitialTrustRegionRadius { get; init; } = 1e4;
    public double MaxTrustRegionRadius { get; init; } = 1e16;
    /// <summary>
    /// Embedded point iterations (Jeong et al. 2012): after every trial step, with its cameras fixed, each point takes
    /// up to this many damped Newton steps of its own 3x3 system, from the lower-cost of its stepped and its previous
    /// position; the step is then judged on the cost this reaches against the joint model's predicted decrease.
    /// 0, as in Ceres: the joint step alone.
    /// </summary>
    public int EmbeddedPointIterations { get; init; }
    public double MinTrustRegionRadius { get; init; } = 1e-32;
    public double MinRelativeDecrease { get; init; } = 1e-3;
    public double MinLmDiagonal { get; init; } = 1e-6;
    public double MaxLmDiagonal { get; init; } = 1e32;
    public bool JacobiScaling { get; init; } = true;
    /// <summary>
    /// Keep the rho'' term of robust losses in the Gauss–Newton model (Triggs' correction, extended to rho'' &lt; 0).
    /// Off, as in Ceres, the model is plain IRLS, which converges only linearly while residuals sit in a loss's
    /// robust part but is the safer model far from the optimum; on, LM converges quadratically near it, which is
    /// what a warm-started solve to a tight tolerance wants.
    /// </summary>
    public bool RobustCurvature { get; init; }
    public LinearSolverType LinearSolver { get; init; } = LinearSolverType.Auto;
    /// <summary>Reduced-system size (degrees of freedom) above which <see cref="LinearSolverType.Auto"/> goes sparse.</summary>
    public int DenseSchurMaxSize { get; init; } = 1200;
    public int NumThreads { get; init; } = 1;
    /// <summary>Called at the start (iteration 0) and after each iteration; return false to stop (termination <see cref="TerminationType.UserStop"/>).</summary>
    public Func<IterationSummary, bool>? Callback { get; init; }

    internal void Validate()
    {
        if (MaxIterations < 0) throw new ArgumentException("MaxIterations must be >= 0.");
        if (NumThreads < 1) throw new ArgumentException("NumThreads must be >= 1.");
        if (!(InitialTrustRegionRadius > 0)) throw new ArgumentException("InitialTrustRegionRadius must be positive.");
        if (EmbeddedPointIterations < 0) throw new ArgumentException($"EmbeddedPointIterations must be >= 0, not {EmbeddedPointIterations}.");
        if (ConvergenceGradientRatio is { } ratio && !(ratio > 0 && ratio <= 1))
            throw new ArgumentException($"ConvergenceGradientRatio must lie in (0, 1], not {ratio}.");
    }
}
