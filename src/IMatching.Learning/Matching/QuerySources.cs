using System.Globalization;
using IMatching.Geometry;
using IMatching.Learning.Backbones.Alike;
using IMatching.Vision.Features;

namespace IMatching.Learning.Matching;

/// <summary>
/// Parses the query option: <c>alike:N</c> (the trained backbone's own ALIKE keypoints), <c>alike-frozen:N</c>
/// (keypoints of a frozen official ALIKE) or any <see cref="KeypointDetectorSpec"/>.
/// </summary>
public static class QuerySources
{
    public const string Syntax = "alike:N, alike-frozen:N, sift:N, orb:N, fast:N or grid:S";

    /// <param name="frozenVariant">The ALIKE network <c>alike-frozen:N</c> detects with: the backbone's own variant where it is shipped.</param>
    public static IQuerySource Parse(string text, AlikeVariant frozenVariant = AlikeVariant.Normal)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (CountAfter(trimmed, "alike:", text) is { } own) return new AlikeQuerySource(own);
        if (CountAfter(trimmed, "alike-frozen:", text) is { } frozen) return new FrozenAlikeQuerySource(frozen, frozenVariant);
        return new DetectorQuerySource(KeypointDetectorSpec.Parse(trimmed));
    }

    private static int? CountAfter(string trimmed, string prefix, string text)
    {
        if (!trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        string count = trimmed[prefix.Length..].Trim();
        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
            throw new UserInputException($"queries '{text}'", $"the point count '{count}' is not a positive integer; expected {Syntax}");
        return n;
    }
}
