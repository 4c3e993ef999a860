namespace IMatching.Learning.Pretraining;

/// <summary>
/// The range of random homographies a pretraining pair is warped by: a similarity about the image centre, a
/// translation, then each corner moved independently (the perspective part). Fractions are of the image width
/// (x) and height (y). The defaults stay within what hand-held video shows between nearby frames.
/// </summary>
public sealed record HomographyAugmentation
{
    public double MaxRotationDegrees { get; init; } = 15;
    public double MinScale { get; init; } = 0.8;
    public double MaxScale { get; init; } = 1.25;
    /// <summary>Largest shift of the whole image, as a fraction of its size.</summary>
    public double MaxTranslation { get; init; } = 0.08;
    /// <summary>Largest independent shift of each corner, as a fraction of the image size.</summary>
    public double MaxCornerJitter { get; init; } = 0.12;

    internal void Validate()
    {
        if (!(MaxRotationDegrees >= 0 && MaxRotationDegrees < 90)) throw new ArgumentException($"MaxRotationDegrees {MaxRotationDegrees} is outside [0, 90).");
        if (!(MinScale > 0 && MinScale <= MaxScale)) throw new ArgumentException($"Scale range [{MinScale}, {MaxScale}] is empty or not positive.");
        if (!(MaxTranslation >= 0 && MaxTranslation < 0.5)) throw new ArgumentException($"MaxTranslation {MaxTranslation} is outside [0, 0.5).");
        if (!(MaxCornerJitter >= 0 && MaxCornerJitter < 0.25)) throw new ArgumentException($"MaxCornerJitter {MaxCornerJitter} is outside [0, 0.25).");
    }
}
