namespace IMatching.Learning.Models;

/// <summary>Settings shared by every model a spec can name.</summary>
public sealed record MatcherContext
{
    /// <summary>Device option (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>) for learned models.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Features per image for the classical matchers; query points for learned ones.</summary>
    public int MaxFeatures { get; init; } = 4000;
    /// <summary>
    /// Query points of learned heads (<c>alike:N</c>, <c>sift:N</c>, <c>orb:N</c>, <c>fast:N</c>, <c>grid:S</c>);
    /// null means the model's own choice with <see cref="MaxFeatures"/> points (ALIKE keypoints, SIFT for CAPS).
    /// </summary>
    public string? Queries { get; init; }
    /// <summary>Checkpoint of a learned head (the regression head); null starts it from seeded random weights.</summary>
    public string? HeadWeights { get; init; }
    /// <summary>Lets a learned spec without weights start from random weights (seeded by the caller): pretraining from scratch.</summary>
    public bool RandomInitialization { get; init; }
    /// <summary>
    /// Where expectation heads centre their fine window; null means the model's own: the centre a checkpoint was trained
    /// with (<c>ckpt:</c>), else the family's (ALIKE: <see cref="Matching.WindowCentre.Nearest"/>, CAPS: <see cref="Matching.WindowCentre.Attached"/>).
    /// </summary>
    public Matching.WindowCentre? WindowCentre { get; init; }
}
