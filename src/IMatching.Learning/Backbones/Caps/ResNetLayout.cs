namespace IMatching.Learning.Backbones.Caps;

/// <summary>
/// Block type and depth of layer1..layer3 for each encoder, as torchvision builds them
/// (layer4 is never used by CAPS, so it is not described).
/// </summary>
internal sealed record ResNetLayout(bool UsesBottleneck, int[] BlocksPerLayer)
{
    /// <summary>Channels leaving a block relative to its width: 4 for bottlenecks, 1 for basic blocks.</summary>
    public int Expansion => UsesBottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;

    /// <summary>Output channels of layer1, layer2 and layer3 (CAPS' <c>filters[0..2]</c>).</summary>
    public long LayerChannels(int layerIndex) => (64L << layerIndex) * Expansion;

    public static ResNetLayout For(CapsEncoder encoder) => encoder switch
    {
        CapsEncoder.ResNet18 => new(false, [2, 2, 2]),
        CapsEncoder.ResNet34 => new(false, [3, 4, 6]),
        CapsEncoder.ResNet50 => new(true, [3, 4, 6]),
        _ => throw new ArgumentOutOfRangeException(nameof(encoder), encoder, "Unknown CAPS encoder."),
    };
}
