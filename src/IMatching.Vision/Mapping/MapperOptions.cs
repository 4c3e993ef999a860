using IMatching.Geometry.BundleAdjustment;
using IMatching.Geometry.RobustLosses;

namespace IMatching.Vision.Mapping;

/// <summary>Settings of the robust mapping pipeline; every threshold in pixels is measured in the distorted image.</summary>
public sealed record MapperOptions
{
    /// <summary>Features of one frame closer than this are the same feature, so tracks join across pairs.</summary>
    public double MergeRadiusPx { get; init; } = 0.5;
    /// <summary>Inlier threshold of the essential-matrix RANSAC of the initial pair.</summary>
    public double EssentialThresholdPx { get; init; } = 1.0;
    public double RansacConfidence { get; init; } = 0.999;
    public int MinInitialMatches { get; init; } = 30;
    /// <summary>How many qualifying initial pairs to find (trying pairs by decreasing image motion) before choosing among them.</summary>
    public int InitialPairCandidates { get; init; } = 1;
    public int MinInitialInliers { get; init; } = 20;
    /// <summary>Median triangulation angle the initial pair needs; below it the motion is (nearly) a pure rotation.</summary>
    public double MinInitialParallaxDeg { get; init; } = 1.0;
    /// <summary>A landmark needs two rays at least this far apart to be kept.</summary>
    public double MinTriangulationAngleDeg { get; init; } = 0.5;
    public double PnpThresholdPx { get; init; } = 3.0;
    public int MinPnpInliers { get; init; } = 12;
    /// <summary>Observations whose reprojection error exceeds this after BA are trimmed.</summary>
    public double MaxReprojectionErrorPx { get; init; } = 3.0;
    /// <summary>Rounds of BA followed by trimming.</summary>
    public int BundleAdjustmentRounds { get; init; } = 3;
    public int BundleAdjustmentIterations { get; init; } = 50;
    /// <summary>
    /// Relative cost change that ends every BA but the last: they only have to place residuals well enough
    /// for the next trim (threshold <see cref="MaxReprojectionErrorPx"/>), and the last BA converges tightly anyway.
    /// </summary>
    public double RoundFunctionTolerance { get; init; } = 1e-3;
    /// <summary>
    /// Relative cost change that ends the last BA. Tighter than Ceres' 1e-6 because the upper level's
    /// gradient is exact only at the optimum: at 1e-6 it is off by about 1e-4 relative, at 1e-8 by about 1e-5.
    /// </summary>
    public double FinalFunctionTolerance { get; init; } = 1e-8;
    /// <summary>
    /// The last BA's tolerances count only once the gradient's max norm is at most this fraction of where that BA
    /// started (<see cref="SolverOptions.ConvergenceGradientRatio"/>): a collapsed trust region otherwise ends it on a
    /// short step away from the optimum, where the envelope gradient is wrong.
    /// </summary>
    public double FinalGradientRatio { get; init; } = 1e-3;
    /// <summary>
    /// LM iterations the last BA may take to reach <see cref="FinalFunctionTolerance"/>: a clip is small, and a map
    /// that stops short of the optimum is skipped (<c>mapping_unconverged</c>), so the cap is generous.
    /// </summary>
    public int FinalBundleAdjustmentIterations { get; init; } = 200;
    /// <summary>
    /// Newton steps each point may take on its own, cameras fixed, after every trial step of the last BA
    /// (<see cref="SolverOptions.EmbeddedPointIterations"/>). With the exact robust curvature, a point seen by two
    /// nearly parallel rays whose residuals sit in Huber's linear part is almost unconstrained; the joint step throws
    /// it far, fails, and shrinks the trust region for every parameter (42-74 LM iterations on real 320x240 clips with
    /// 4000 queries a frame, 3-4 with these iterations, to the same optimum).
    /// </summary>
    public int FinalEmbeddedPointIterations { get; init; } = 10;
    /// <summary>LM iterations of the local BA after each registration; it only has to steady the next PnP.</summary>
    public int LocalBundleAdjustmentIterations { get; init; } = 5;
    /// <summary>Robust loss of every BA (null: the plain square); the map carries it to the upper level's loss.</summary>
    public LossFunction? RobustLoss { get; init; } = new HuberLoss(1);
    /// <summary>Poses refined by the local BA after each new frame of a long sequence; older ones stay fixed.</summary>
    public int LocalWindow { get; init; } = 6;
    /// <summary>A global BA runs after this many new frames (and at the end).</summary>
    public int GlobalBundleAdjustmentEvery { get; init; } = 10;
    public int NumThreads { get; init; } = 1;
    /// <summary>Weight each BA residual by its correspondence's confidence (clamped to [0.001, 1]) instead of 1.</summary>
    public bool WeightByConfidence { get; init; }

    internal double ObservationWeight(double confidence) => WeightByConfidence ? Math.Clamp(confidence, 1e-3, 1) : 1;
}
