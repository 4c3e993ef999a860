using IMatching.Vision.Mapping;

namespace IMatching.Learning.Training;

/// <summary>
/// Why a sample (a clip, a batch of homography pairs) or a whole update taught nothing. <see cref="Name"/> is what
/// the logs and checkpoints record (<c>skipped/NAME</c> in TensorBoard, the keys of state.json's skip counts).
/// </summary>
public sealed record SkipReason
{
    private const string MappingPrefix = "mapping_";

    private SkipReason(string name, bool isFault = false) => (Name, IsFault) = (name, isFault);

    public string Name { get; }

    /// <summary>
    /// An exception where only a typed outcome was expected: counted like any skip, but a run stops when too many
    /// come in a row (<see cref="TrainingOptions.MaxConsecutiveFaults"/>), since then something is broken, not unlucky.
    /// </summary>
    public bool IsFault { get; }

    public static readonly SkipReason NonFinitePrediction = new("non_finite_prediction");
    public static readonly SkipReason NonFiniteLoss = new("non_finite_loss");
    public static readonly SkipReason NonFiniteGradient = new("non_finite_gradient");
    public static readonly SkipReason NoSurvivingPredictions = new("no_surviving_predictions");
    public static readonly SkipReason NoTargets = new("no_targets");
    public static readonly SkipReason MappingException = new("mapping_exception", isFault: true);

    /// <summary>A clip the mapper could not map, e.g. <c>mapping_insufficientparallax</c>.</summary>
    public static SkipReason Mapping(MappingFailureReason reason) => new(MappingPrefix + reason.ToString().ToLowerInvariant());

    private static readonly SkipReason[] Known =
        [NonFinitePrediction, NonFiniteLoss, NonFiniteGradient, NoSurvivingPredictions, NoTargets, MappingException,
         .. Enum.GetValues<MappingFailureReason>().Select(Mapping)];

    /// <summary>The reason a log or checkpoint names.</summary>
    /// <exception cref="InvalidDataException">No reason has that name.</exception>
    public static SkipReason Parse(string name) =>
        Known.FirstOrDefault(r => r.Name == name) ?? throw new InvalidDataException($"Unknown skip reason '{name}' (known: {string.Join(", ", Known.Select(r => r.Name))}).");

    public override string ToString() => Name;
}
