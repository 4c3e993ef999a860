using BatchNorm2d = IMatching.Learning.Backbones.Layers.BatchNorm2d;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>Builds one ResNet stage (<c>layerN</c>) the way torchvision's <c>_make_layer</c> does.</summary>
internal static class ResNetStage
{
    /// <summary>
    /// A sequence of blocks named 0..n-1; the first one strides and, when its shape changes, projects the identity
    /// with <c>downsample</c> = (1x1 conv, BN).
    /// </summary>
    public static Sequential Build(ResNetLayout layout, long inChannels, long planes, int blocks, long stride)
    {
        long outChannels = planes * layout.Expansion;
        Sequential? downsample = stride != 1 || inChannels != outChannels
            ? Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), new BatchNorm2d(outChannels))
            : null;

        var modules = new List<Module<Tensor, Tensor>>(blocks) { Block(layout, inChannels, planes, stride, downsample) };
        for (int i = 1; i < blocks; i++)
            modules.Add(Block(layout, outChannels, planes, 1, null));
        return Sequential(modules);
    }

    private static Module<Tensor, Tensor> Block(ResNetLayout layout, long inChannels, long planes, long stride, Sequential? downsample) =>
        layout.UsesBottleneck
            ? new Bottleneck(inChannels, planes, stride, downsample)
            : new BasicBlock(inChannels, planes, stride, downsample);
}
