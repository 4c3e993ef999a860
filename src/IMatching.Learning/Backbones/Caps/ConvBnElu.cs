using BatchNorm2d = IMatching.Learning.Backbones.Layers.BatchNorm2d;
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
        _bn = new BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Elu(_bn.call(_conv.call(x))));
    }

    /// <summary>
    /// ELU with α = 1, as relu(x) + expm1(min(x, 0)): the same values and gradient as PyTorch's elu, whose TorchSharp
    /// binding makes an implicit native scalar of α on every call.
    /// </summary>
    private static Tensor Elu(Tensor x)
    {
        using Tensor positive = functional.relu(x);
        using Tensor negative = x.AtMost(0);
        using Tensor decay = negative.expm1();
        return positive.Plus(decay);
    }
}
