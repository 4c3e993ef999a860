using BatchNorm2d = IMatching.Learning.Backbones.Layers.BatchNorm2d;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>
/// CAPS' ResUNet: a torchvision ResNet truncated after layer3 (H/16), a 1x1 coarse head there, and a two-step
/// U-Net decoder back to H/4 with a 1x1 fine head. Submodule names match the PyTorch original so that its
/// checkpoints load unchanged.
/// </summary>
internal sealed class ResUNet : Module<Tensor, CapsFeatureMaps>
{
    /// <summary>Descriptor channels of both heads (CAPS' coarse_feat_dim and fine_feat_dim as published).</summary>
    public const int FeatureChannels = 128;

    // Fields register in declaration order (RegisterComponents), which fixes the original state-dict order. Every
    // module here names its fields this way: explicit register_module calls would not do, since TorchSharp then runs
    // the child's RegisterComponents, which adds the fields a second time under their C# names. The parameter-free
    // firstrelu is applied functionally: PyTorch names it, but it owns no state.
    [ComponentName(Name = "firstconv")]
    private readonly Conv2d _firstConv;
    [ComponentName(Name = "firstbn")]
    private readonly BatchNorm2d _firstBn;
    [ComponentName(Name = "firstmaxpool")]
    private readonly MaxPool2d _firstMaxPool;
    [ComponentName(Name = "layer1")]
    private readonly Sequential _layer1;
    [ComponentName(Name = "layer2")]
    private readonly Sequential _layer2;
    [ComponentName(Name = "layer3")]
    private readonly Sequential _layer3;
    [ComponentName(Name = "conv_coarse")]
    private readonly ConvBnElu _convCoarse;
    [ComponentName(Name = "upconv3")]
    private readonly UpConv _upConv3;
    [ComponentName(Name = "iconv3")]
    private readonly ConvBnElu _iConv3;
    [ComponentName(Name = "upconv2")]
    private readonly UpConv _upConv2;
    [ComponentName(Name = "iconv2")]
    private readonly ConvBnElu _iConv2;
    [ComponentName(Name = "conv_fine")]
    private readonly ConvBnElu _convFine;

    public ResUNet(CapsEncoder encoder) : base(nameof(ResUNet))
    {
        var layout = ResNetLayout.For(encoder);
        long[] filters = [layout.LayerChannels(0), layout.LayerChannels(1), layout.LayerChannels(2)];

        _firstConv = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        _firstBn = new BatchNorm2d(64);
        _firstMaxPool = MaxPool2d(3, stride: 2, padding: 1);
        _layer1 = ResNetStage.Build(layout, 64, 64, layout.BlocksPerLayer[0], 1);
        _layer2 = ResNetStage.Build(layout, filters[0], 128, layout.BlocksPerLayer[1], 2);
        _layer3 = ResNetStage.Build(layout, filters[1], 256, layout.BlocksPerLayer[2], 2);

        _convCoarse = new ConvBnElu(filters[2], FeatureChannels, 1);
        _upConv3 = new UpConv(filters[2], 512);
        _iConv3 = new ConvBnElu(filters[1] + 512, 512, 3);
        _upConv2 = new UpConv(512, 256);
        _iConv2 = new ConvBnElu(filters[0] + 256, 256, 3);
        _convFine = new ConvBnElu(256, FeatureChannels, 1);
        RegisterComponents();
    }

    /// <summary>Runs on an RGB batch in [0, 1] (Bx3xHxW, float32); ImageNet normalisation happens here.</summary>
    public override CapsFeatureMaps forward(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        Tensor x = ImageNetNormalization.Apply(rgb);
        x = _firstMaxPool.call(functional.relu(_firstBn.call(_firstConv.call(x))));

        Tensor x1 = _layer1.call(x);
        Tensor x2 = _layer2.call(x1);
        Tensor x3 = _layer3.call(x2);

        Tensor coarse = _convCoarse.call(x3);

        Tensor y = _iConv3.call(SkipConnection.Join(x2, _upConv3.call(x3)));
        y = _iConv2.call(SkipConnection.Join(x1, _upConv2.call(y)));
        Tensor fine = _convFine.call(y);

        var (c, f) = scope.MoveToOuter(coarse, fine);
        return new CapsFeatureMaps(c, f);
    }
}
