namespace IMatching.Cli.Demo;

/// <summary>
/// What the demo renders and trains. The defaults fit the 10-minute budget on 2 cores: small images, a small
/// network, a short pretraining on one domain and a short adaptation on another.
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
    public int SourceFrames { get; init; } = 24;
    public int Seed { get; init; } = 7;
    public string Model { get; init; } = "alike-t+exp";
    public int PretrainSteps { get; init; } = 300;
    public int AdaptSteps { get; init; } = 60;
    public double AdaptLearningRate { get; init; } = 1e-4;
    public int Queries { get; init; } = 300;
    public IReadOnlyList<int> EvaluationGaps { get; init; } = [1, 3, 5];

    public string SourceSpec => $"synthetic:{SourceDomain}?frames={SourceFrames}&seed={Seed + 1}&size={Width}x{Height}";
    public string TargetSpec => $"synthetic:{TargetDomain}?frames={TargetFrames}&seed={Seed}&size={Width}x{Height}";
    public string TrainingSpec => $"{TargetSpec}#0-{TrainingFrames - 1}";
    public string HeldOutSpec => $"{TargetSpec}#{TrainingFrames}-{TargetFrames - 1}";

    internal void Validate()
    {
        if (TrainingFrames < 6 || TargetFrames - TrainingFrames < 6) throw new ArgumentException("The demo needs at least 6 training and 6 held-out target frames.");
        if (AdaptSteps < 1 || PretrainSteps < 0) throw new ArgumentException("Step counts must be positive.");
    }
}
