using System.Text.Json.Serialization;
using IMatching.Learning.Matching;

namespace IMatching.Learning.Checkpoints;

/// <summary>
/// What a checkpoint records besides the weights: where training stands and what it has seen. <c>Model</c> is the
/// architecture (what <c>ckpt:</c> rebuilds) and <c>WindowCentre</c> its expectation head's window centre (null: no
/// expectation head, or a checkpoint from before it was recorded, which trained the attached centre);
/// <c>Skipped</c> counts skipped samples by their on-disk reason name.
/// </summary>
public sealed record TrainingState(int Step, int Seed, string Model, Dictionary<string, int> Skipped, double? BestMetric, int? BestStep, double ElapsedSeconds,
    WindowCentre? WindowCentre = null)
{
    /// <summary>The centre an expectation head trained here used: a checkpoint that records none predates the record, and trained the attached one.</summary>
    [JsonIgnore]
    public WindowCentre TrainedWindowCentre => WindowCentre ?? Matching.WindowCentre.Attached;
}
