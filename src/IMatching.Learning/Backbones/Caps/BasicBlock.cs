using BatchNorm2d = IMatching.Learning.Backbones.Layers.BatchNorm2d;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>torchvision's ResNet-18/34 residual block: two 3x3 convolutions, stride on the first.</summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    public const int Expansion = 1;

    // Fields register in declaration order (RegisterComponents), which fixes torchvision's state-dict order;
    // a null downsample is skipped.
    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;
    [ComponentName(Name = "bn1")]
    private readonly BatchNorm2d _bn1;
    [ComponentName(Name = "conv2")]
    private readonly Conv2d _conv2;
    [ComponentName(Name = "bn2")]
    private readonly BatchNorm2d _bn2;
    [ComponentName(Name = "downsample")]
    private readonly Module<Tensor, Tensor>? _downsample;

    public BasicBlock(long inChannels, long planes, long stride, Module<Tensor, Tensor>? downsample) : base(nameof(BasicBlock))
    {
        _conv1 = Conv2d(inChannels, planes, 3, stride: stride, padding: 1, bias: false);
        _bn1 = new BatchNorm2d(planes);
        _conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        _bn2 = new BatchNorm2d(planes);
        _downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y = functional.relu(_bn1.call(_conv1.call(x)));
        y = _bn2.call(_conv2.call(y));
        Tensor identity = _downsample is null ? x : _downsample.call(x);
        return scope.MoveToOuter(functional.relu(y.Plus(identity)));
    }
}
