using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>The per-channel standardisation the torchvision encoder weights were trained with.</summary>
internal static class ImageNetNormalization
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>Maps RGB in [0, 1] (Bx3xHxW) to (x - mean) / std.</summary>
    public static Tensor Apply(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != 3)
            throw new ArgumentException($"Expected an RGB batch Bx3xHxW, got [{string.Join(", ", rgb.shape)}].", nameof(rgb));

        using var scope = NewDisposeScope();
        Tensor mean = tensor(Mean, dtype: rgb.dtype, device: rgb.device).view(1, 3, 1, 1);
        Tensor std = tensor(Std, dtype: rgb.dtype, device: rgb.device).view(1, 3, 1, 1);
        return scope.MoveToOuter((rgb - mean) / std);
    }
}
