using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>
/// TorchSharp's Adam (PyTorch's update: bias-corrected moments, <c>sqrt(v̂) + eps</c> denominator), with every native
/// scalar the update needs made, held and disposed here. TorchSharp 0.107's own <c>step</c> converts numbers to
/// scalars inside itself and leaves them to the finalizer, which may free one while the native call still reads it
/// (seen in CI when another thread's allocations ended a no-collection region around the step). The state is
/// TorchSharp's (<see cref="Adam.State"/>), so checkpoints save and load it in PyTorch's optimiser layout
/// unchanged. Plain Adam only: no weight decay, AMSGrad or maximisation (the constructor offers none).
/// </summary>
public sealed class OwnedScalarAdam(IEnumerable<Parameter> parameters, double learningRate)
    : Adam(parameters, learningRate)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<Adam.ParamGroup>(Update, closure);

    private void Update(Adam.ParamGroup group)
    {
        var options = (Adam.Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value;
        using Scalar decay1 = beta1.ToScalar(), keep1 = (1 - beta1).ToScalar();
        using Scalar decay2 = beta2.ToScalar(), keep2 = (1 - beta2).ToScalar();
        using Scalar eps = options.eps!.Value.ToScalar(), one = 1.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            if (parameter.grad is not { } gradient) continue;
            var state = (Adam.State)_state[parameter.Handle];
            state.step += 1;
            double correction1 = 1 - Math.Pow(beta1, state.step);
            double correction2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(decay1).add_(gradient, keep1);
            state.exp_avg_sq.mul_(decay2).addcmul_(gradient, gradient, keep2);
            using Scalar rootCorrection2 = Math.Sqrt(correction2).ToScalar();
            using Scalar stepSize = (-options.LearningRate!.Value / correction1).ToScalar();
            using var denominator = state.exp_avg_sq.sqrt();
            denominator.div_(rootCorrection2).add_(eps, one);
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }
}
