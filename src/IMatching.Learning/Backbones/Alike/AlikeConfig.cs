namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// Architecture of one published ALIKE network: encoder widths <c>c1..c4</c>, descriptor dimension and whether
/// the head has its extra 1x1 convolution (<c>single_head == false</c>), as in the reference <c>configs</c> table.
/// </summary>
public sealed record AlikeConfig(string Name, int C1, int C2, int C3, int C4, int Dim, bool SingleHead)
{
    /// <summary>Detection defaults of the published networks (all use radius 2).</summary>
    public DkdOptions Detection { get; init; } = new();

    /// <summary>The published configuration of <paramref name="variant"/>.</summary>
    public static AlikeConfig For(AlikeVariant variant) => variant switch
    {
        AlikeVariant.Tiny => new("alike-t", 8, 16, 32, 64, 64, SingleHead: true),
        AlikeVariant.Small => new("alike-s", 8, 16, 48, 96, 96, SingleHead: true),
        AlikeVariant.Normal => new("alike-n", 16, 32, 64, 128, 128, SingleHead: true),
        AlikeVariant.Large => new("alike-l", 32, 64, 128, 128, 128, SingleHead: false),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown ALIKE variant."),
    };
}
