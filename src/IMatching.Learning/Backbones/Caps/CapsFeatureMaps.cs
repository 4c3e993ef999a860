using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>
/// The two CAPS descriptor maps: <see cref="Coarse"/> at 1/16 of the input resolution (Bx128xH/16xW/16) and
/// <see cref="Fine"/> at 1/4 (Bx128xH/4xW/4). Sides that are not multiples of 16 round up, as in CAPS: the
/// decoder pads its skip connections to the upsampled maps.
/// </summary>
public readonly record struct CapsFeatureMaps(Tensor Coarse, Tensor Fine) : IDisposable
{
    public void Dispose()
    {
        Coarse.Dispose();
        Fine.Dispose();
    }
}
