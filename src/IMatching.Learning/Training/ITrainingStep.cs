using IMatching.Learning.Matching;

namespace IMatching.Learning.Training;

/// <summary>Which sample of the run the loop asks for: slot <see cref="Slot"/> of the accumulation of step <see cref="Step"/>.</summary>
public readonly record struct SampleIndex(int Step, int Slot, int SlotsPerStep, int Seed)
{
    /// <summary>0-based over the whole run, so a resumed run draws exactly what the uninterrupted one would have.</summary>
    public long Draw => (long)(Step - 1) * SlotsPerStep + Slot;
}

/// <summary>
/// What a training method computes for one sample, driven by <see cref="TrainingLoop"/>: imperative learning
/// (<see cref="Trainer"/>), homography pretraining, and the ones to come. The loop owns the optimiser, the
/// backward pass, guards, skips, checkpoints, validation and logs.
/// </summary>
public interface ITrainingStep
{
    /// <summary>TensorBoard prefix of the step's scalars (<c>train</c>, <c>pretrain</c>).</summary>
    string LogPrefix { get; }

    /// <summary>Whether batch-norm layers update their statistics while training (else they stay in inference mode).</summary>
    bool LearnsBatchStatistics { get; }

    /// <summary>Refuses optimisation settings this step cannot honour.</summary>
    void Check(TrainingOptions training);

    /// <summary>Forward pass, targets and loss of one sample; must be a pure function of the weights and <paramref name="sample"/>.</summary>
    SampleOutcome Compute(IDifferentiableMatcher matcher, SampleIndex sample);
}
