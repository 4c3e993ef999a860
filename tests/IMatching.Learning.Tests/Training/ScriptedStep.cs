using IMatching.Learning.Matching;
using IMatching.Learning.Training;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>What a <see cref="ScriptedStep"/> does with one sample.</summary>
internal enum Script { Learn, Linear, Skip, Fault, NaNLoss, NaNGradient }

/// <summary>
/// A step strategy whose samples do what a script says, on the first parameter w of the matcher's network:
/// <c>Learn</c> is the loss |w - t|² with a target t drawn from the sample's draw (so the data order matters),
/// <c>Linear</c> a loss whose gradient is a known constant, and the rest the failures the loop must count.
/// </summary>
internal sealed class ScriptedStep(Func<SampleIndex, Script> script) : ITrainingStep
{
    public static readonly TrainingMetric Samples = new("samples", MetricAggregation.Sum);

    /// <summary>Gradient of a <c>Linear</c> sample: small, so Adam's first step stays proportional to it (|g| well below its epsilon).</summary>
    public const float LinearGradient = 1e-10f;

    public string LogPrefix => "scripted";
    public bool LearnsBatchStatistics => true;
    public void Check(TrainingOptions training) { }

    public SampleOutcome Compute(IDifferentiableMatcher matcher, SampleIndex sample)
    {
        var w = matcher.Parameters[0];
        switch (script(sample))
        {
            case Script.Skip:
                return SampleOutcome.Skipped(SkipReason.NoTargets, $"scripted skip at draw {sample.Draw}");
            case Script.Fault:
                return SampleOutcome.Skipped(SkipReason.MappingException, $"scripted fault at draw {sample.Draw}");
            case Script.NaNLoss:
                return Trained(w.mul(tensor(float.NaN)).sum());
            case Script.NaNGradient:
                // sqrt at 0: the loss is 0, its gradient inf - inf.
                return Trained(w.sub(w).sqrt().sum());
            case Script.Linear:
                return Trained(w.mul(tensor(LinearGradient)).sum());
            default:
                var target = tensor(new[] { (float)(sample.Draw % 3), (float)(sample.Seed % 5) });
                return Trained(w.sub(target).square().sum());
        }
    }

    private static SampleOutcome Trained(Tensor loss) => SampleOutcome.Trained(loss, [new(Samples, 1)]);
}
