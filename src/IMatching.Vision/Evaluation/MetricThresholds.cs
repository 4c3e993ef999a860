namespace IMatching.Vision.Evaluation;

/// <summary>The thresholds every report uses, so tables, JSON keys and plots agree.</summary>
public static class MetricThresholds
{
    /// <summary>Mean matching accuracy and epipolar precision, in pixels (as in D2-Net, CAPS and iMatching).</summary>
    public static readonly IReadOnlyList<double> Pixels = [1, 2, 3, 5, 10];

    /// <summary>Relative pose AUC, in degrees (SuperGlue/LoFTR protocol).</summary>
    public static readonly IReadOnlyList<double> Degrees = [5, 10, 20];

    /// <summary>A match is drawn as correct in pictures when its error is at most this.</summary>
    public const double CorrectPx = 3;
}
