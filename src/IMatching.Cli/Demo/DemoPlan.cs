using IMatching.Learning.Matching;
using IMatching.Learning.Training;

namespace IMatching.Cli.Demo;

/// <summary>
/// What the demo renders and trains. The defaults fit the 10-minute budget on 2 cores: small images, the official
/// ALIKE-T (shipped with the library) with the expectation head, and a short adaptation to one rendered domain.
/// </summary>
public sealed record DemoPlan
{
    public string SourceDomain { get; init; } = "office";
    public string TargetDomain { get; init; } = "underwater";
    public int Width { get; init; } = 320;
    public int Height { get; init; } = 240;
    /// <summary>Target frames: the first <see cref="TrainingFrames"/> are for adaptation, the rest held out for evaluation.</summary>
    public int TargetFrames { get; init; } = 64;
    public int TrainingFrames { get; init; } = 40;
    /// <summary>Many frames: with few, homography pretraining learns the frames rather than the domain.</summary>
    public int SourceFrames { get; init; } = 120;
    public int Seed { get; init; } = 7;
    /// <summary>The starting model: official weights when no path is given (see <see cref="PretrainFromScratch"/>).</summary>
    public string Model { get; init; } = "alike-t+exp";
    /// <summary>Make the starting model by homography pretraining from random weights on <see cref="SourceDomain"/> instead.</summary>
    public bool PretrainFromScratch { get; init; }
    /// <summary>Imperative learning's settings (objective, clip shape); the defaults are the method's.</summary>
    public TrainerOptions Method { get; init; } = new();
    public int PretrainSteps { get; init; } = 400;
    public int AdaptSteps { get; init; } = 30;
    public double AdaptLearningRate { get; init; } = 1e-4;
    /// <summary>Query points while pretraining: a grid, since pretraining teaches descriptors, not ALIKE's keypoint score map.</summary>
    public string PretrainQueries { get; init; } = "grid:8";
    /// <summary>
    /// Query points: keypoints of the frozen official ALIKE, as the published method takes its queries from a frozen
    /// detector, so the points evaluated before and after are the same.
    /// </summary>
    public string Queries { get; init; } = "alike-frozen:300";
    /// <summary>Where the expectation head centres its fine window, for every row and the adaptation alike.</summary>
    public WindowCentre WindowCentre { get; init; } = WindowCentre.Nearest;
    /// <summary>Camera speed of the target rendering: at 1 (2.2 cm a frame) clips lack the parallax to map.</summary>
    public double TargetSpeed { get; init; } = 3;
    public IReadOnlyList<int> EvaluationGaps { get; init; } = [2, 4];

    public string SourceSpec => $"synthetic:{SourceDomain}?frames={SourceFrames}&seed={Seed + 1}&size={Width}x{Height}";
    public string TargetSpec => FormattableString.Invariant($"synthetic:{TargetDomain}?frames={TargetFrames}&seed={Seed}&size={Width}x{Height}&speed={TargetSpeed}");
    public string TrainingSpec => $"{TargetSpec}#0-{TrainingFrames - 1}";
    public string HeldOutSpec => $"{TargetSpec}#{TrainingFrames}-{TargetFrames - 1}";

    internal void Validate()
    {
        if (TrainingFrames < 6 || TargetFrames - TrainingFrames < 6) throw new ArgumentException("The demo needs at least 6 training and 6 held-out target frames.");
        if (AdaptSteps < 1 || PretrainSteps < 0) throw new ArgumentException("Step counts must be positive.");
        if (PretrainFromScratch && (Queries.StartsWith("alike:", StringComparison.Ordinal)))
            throw new ArgumentException("A model pretrained from scratch has no trained keypoint score map: use grid:, sift: or alike-frozen: queries.");
    }
}
