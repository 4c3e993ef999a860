using BatchNorm2d = IMatching.Learning.Backbones.Layers.BatchNorm2d;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>ALIKE's first encoder stage: two 3x3 convolutions (no bias), each followed by batch norm and ReLU.</summary>
internal sealed class ConvBlock : Module<Tensor, Tensor>
{
    // Field names are the PyTorch attribute names: RegisterComponents turns them into state-dict keys.
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;

    public ConvBlock(int inChannels, int outChannels) : base(nameof(ConvBlock))
    {
        conv1 = Conv2d(inChannels, outChannels, kernel_size: 3, padding: 1, bias: false);
        bn1 = new BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, kernel_size: 3, padding: 1, bias: false);
        bn2 = new BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = functional.relu(bn1.call(conv1.call(input)));
        x = functional.relu(bn2.call(conv2.call(x)));
        return x.MoveToOuterDisposeScope();
    }
}
