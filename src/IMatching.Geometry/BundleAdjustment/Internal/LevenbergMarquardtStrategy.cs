namespace IMatching.Geometry.BundleAdjustment.Internal;

/// <summary>
/// Ceres' Levenberg–Marquardt trust-region strategy: the damping is 1 / radius; an accepted step grows the
/// radius by how well the model predicted the decrease, a rejected one shrinks it by a factor that doubles
/// with each consecutive rejection.
/// </summary>
internal sealed class LevenbergMarquardtStrategy(SolverOptions options)
{
    private double _decreaseFactor = 2;

    public double Radius { get; private set; } = options.InitialTrustRegionRadius;

    /// <summary>The LM damping mu in (J^T J + mu D) step = -J^T r.</summary>
    public double Mu => 1 / Radius;

    public void StepAccepted(double relativeDecrease)
    {
        Radius = Math.Min(options.MaxTrustRegionRadius, Radius / Math.Max(1.0 / 3, 1 - Math.Pow(2 * relativeDecrease - 1, 3)));
        _decreaseFactor = 2;
    }

    public void StepRejected()
    {
        Radius /= _decreaseFactor;
        _decreaseFactor *= 2;
    }

    public bool Collapsed => Radius < options.MinTrustRegionRadius;
}
