using IMatching.Geometry;
using System.Reflection;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// The official ALIKE-t and ALIKE-n weights (BSD-3, Weights/LICENSE), shipped inside this library so that
/// <c>alike-t</c>, <c>alike-n</c>, <c>alike-n+exp</c> … work with no weights file and the demo starts from a real
/// pretrained matcher. The larger variants (s, l) still need their file.
/// </summary>
public static class OfficialAlikeWeights
{
    private static readonly Assembly Library = typeof(OfficialAlikeWeights).Assembly;

    public static IReadOnlyList<AlikeVariant> Shipped { get; } = [AlikeVariant.Tiny, AlikeVariant.Normal];

    public static bool IsShipped(AlikeVariant variant) => Shipped.Contains(variant);

    /// <summary>How errors and reports name the shipped file, e.g. "embedded alike-n.pth".</summary>
    public static string Origin(AlikeVariant variant) => $"embedded {FileName(variant)}";

    /// <exception cref="UserInputException">This variant's weights are not shipped.</exception>
    public static Stream Open(AlikeVariant variant)
    {
        if (!IsShipped(variant))
            throw new UserInputException(FileName(variant), $"not shipped with IMatching (only {string.Join(", ", Shipped.Select(FileName))}): give its weights file");
        return Library.GetManifestResourceStream(ResourceName(variant))
            ?? throw new InvalidOperationException($"The library lacks its embedded resource {ResourceName(variant)}.");
    }

    private static string FileName(AlikeVariant variant) => $"alike-{"tsnl"[(int)variant]}.pth";

    private static string ResourceName(AlikeVariant variant) => $"IMatching.Learning.Weights.{FileName(variant)}";
}
