using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>CAPS' <c>upconv</c>: bilinear x2 upsampling (align_corners=True), then a 3x3 <see cref="ConvBnElu"/>.</summary>
internal sealed class UpConv : Module<Tensor, Tensor>
{
    private static readonly double[] Scale = [2.0, 2.0];

    [ComponentName(Name = "conv")]
    private readonly ConvBnElu _conv;

    public UpConv(long inChannels, long outChannels) : base(nameof(UpConv))
    {
        _conv = new ConvBnElu(inChannels, outChannels, 3);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor up = functional.interpolate(x, scale_factor: Scale, mode: InterpolationMode.Bilinear, align_corners: true);
        return scope.MoveToOuter(_conv.call(up));
    }
}
