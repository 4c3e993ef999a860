using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>CAPS' <c>skipconnect</c>: joins an encoder feature map with the decoder map upsampled to its scale.</summary>
internal static class SkipConnection
{
    /// <summary>
    /// Zero-pads <paramref name="skip"/> (split as evenly as possible, extra row/column last) to the size of
    /// <paramref name="upsampled"/>, which is larger when the input side was not a multiple of 16, and concatenates
    /// [upsampled, skip] along channels: the order iconv3/iconv2 weights expect.
    /// </summary>
    public static Tensor Join(Tensor skip, Tensor upsampled)
    {
        using var scope = NewDisposeScope();
        long diffY = upsampled.shape[2] - skip.shape[2];
        long diffX = upsampled.shape[3] - skip.shape[3];
        Tensor padded = diffX == 0 && diffY == 0
            ? skip
            : nn.functional.pad(skip, [diffX / 2, diffX - diffX / 2, diffY / 2, diffY - diffY / 2]);
        return scope.MoveToOuter(cat([upsampled, padded], 1));
    }
}
