namespace IMatching.Vision.Features;

public enum KeypointDetectorKind
{
    Sift,
    Orb,
    Fast,
    /// <summary>A regular lattice: no detection, every region gets queries.</summary>
    Grid,
}
