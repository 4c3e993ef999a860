using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// What one sample gave the loop: a scalar loss attached to the autograd graph, with the sample's metrics, or the
/// reason it was skipped. Tensors belong to the dispose scope the loop opened around the sample.
/// </summary>
public sealed record SampleOutcome
{
    private SampleOutcome() { }

    public Tensor? Loss { get; private init; }
    public SkipReason? Skip { get; private init; }
    /// <summary>Why, in words (the mapper's detail, an exception's message); written to the run's skip log.</summary>
    public string? Detail { get; private init; }
    public IReadOnlyList<Measurement> Measurements { get; private init; } = [];
    /// <summary>Seconds spent predicting (images in, predictions out).</summary>
    public double ForwardSeconds { get; init; }
    /// <summary>Seconds spent making the targets and the loss (mapping, ground truth).</summary>
    public double TargetSeconds { get; init; }

    public static SampleOutcome Trained(Tensor loss, IReadOnlyList<Measurement> measurements) => new() { Loss = loss, Measurements = measurements };

    public static SampleOutcome Skipped(SkipReason reason, string? detail = null) => new() { Skip = reason, Detail = detail };
}
