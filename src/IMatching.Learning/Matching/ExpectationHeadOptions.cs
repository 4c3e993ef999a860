namespace IMatching.Learning.Matching;

/// <summary>
/// Settings of the <see cref="ExpectationHead"/>. Temperatures divide the descriptor correlation before the softmax:
/// CAPS's unnormalised features use 1; unit-length descriptors (ALIKE, correlation in [-1, 1]) need a small one,
/// or thousands of mediocre cells outweigh the right one and the expectation drifts to the image centre.
/// </summary>
public sealed record ExpectationHeadOptions
{
    public ExpectationHeadOptions(double coarseTemperature = 1, double fineTemperature = 1, int windowSize = 8, WindowCentre windowCentre = WindowCentre.Attached)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(coarseTemperature);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fineTemperature);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 2);
        if (!Enum.IsDefined(windowCentre)) throw new ArgumentOutOfRangeException(nameof(windowCentre), windowCentre, "Unknown window centre.");
        (CoarseTemperature, FineTemperature, WindowSize, WindowCentre) = (coarseTemperature, fineTemperature, windowSize, windowCentre);
    }

    public double CoarseTemperature { get; }
    public double FineTemperature { get; }

    /// <summary>Side of the fine search window in fine-map cells (one sample per cell), centred as <see cref="WindowCentre"/> says.</summary>
    public int WindowSize { get; }

    public WindowCentre WindowCentre { get; }

    /// <summary>The same settings with the fine window centred as <paramref name="centre"/> says.</summary>
    public ExpectationHeadOptions WithWindowCentre(WindowCentre centre) => new(CoarseTemperature, FineTemperature, WindowSize, centre);
}
