using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>CAPS' <c>conv</c> block: "same"-padded convolution with bias, BatchNorm, ELU.</summary>
internal sealed class ConvBnElu : Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv")]
    private readonly Conv2d _conv;
    [ComponentName(Name = "bn")]
    private readonly BatchNorm2d _bn;

    public ConvBnElu(long inChannels, long outChannels, long kernelSize) : base(nameof(ConvBnElu))
    {
        _conv = Conv2d(inChannels, outChannels, kernelSize, padding: (kernelSize - 1) / 2);
        _bn = BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(functional.elu(_bn.call(_conv.call(x)), alpha: 1.0));
    }
}
