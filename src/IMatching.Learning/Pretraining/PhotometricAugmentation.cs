namespace IMatching.Learning.Pretraining;

/// <summary>
/// Appearance changes drawn independently for each image of a pretraining pair, so that descriptors learn to
/// ignore exposure, tone curve, sensor noise and focus. Intensities are fractions of the 8-bit range.
/// </summary>
public sealed record PhotometricAugmentation
{
    /// <summary>Largest offset added to every pixel.</summary>
    public double MaxBrightness { get; init; } = 0.12;
    /// <summary>Contrast about the image mean is scaled by a factor in [1 - this, 1 + this].</summary>
    public double MaxContrast { get; init; } = 0.25;
    /// <summary>The tone curve v^g uses g log-uniform in [1 / this, this].</summary>
    public double MaxGamma { get; init; } = 1.4;
    /// <summary>Largest standard deviation of the per-pixel Gaussian noise.</summary>
    public double MaxNoise { get; init; } = 0.02;
    /// <summary>Largest Gaussian blur sigma in pixels; half the images are not blurred at all.</summary>
    public double MaxBlurSigma { get; init; } = 1.0;

    /// <summary>No change at all: the image pixels pass through exactly.</summary>
    public static PhotometricAugmentation None { get; } = new() { MaxBrightness = 0, MaxContrast = 0, MaxGamma = 1, MaxNoise = 0, MaxBlurSigma = 0 };

    internal void Validate()
    {
        if (!(MaxBrightness >= 0 && MaxBrightness < 1)) throw new ArgumentException($"MaxBrightness {MaxBrightness} is outside [0, 1).");
        if (!(MaxContrast >= 0 && MaxContrast < 1)) throw new ArgumentException($"MaxContrast {MaxContrast} is outside [0, 1).");
        if (!(MaxGamma >= 1)) throw new ArgumentException($"MaxGamma {MaxGamma} is below 1.");
        if (!(MaxNoise >= 0)) throw new ArgumentException($"MaxNoise {MaxNoise} is negative.");
        if (!(MaxBlurSigma >= 0)) throw new ArgumentException($"MaxBlurSigma {MaxBlurSigma} is negative.");
    }
}
