using System.Globalization;
using IMatching.Geometry;
using IMatching.Vision.Features;

namespace IMatching.Learning.Matching;

/// <summary>Parses the query option: <c>alike:N</c> (ALIKE keypoints) or any <see cref="KeypointDetectorSpec"/>.</summary>
public static class QuerySources
{
    public const string Syntax = "alike:N, sift:N, orb:N, fast:N or grid:S";

    public static IQuerySource Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        const string alike = "alike:";
        if (!trimmed.StartsWith(alike, StringComparison.OrdinalIgnoreCase))
            return new DetectorQuerySource(KeypointDetectorSpec.Parse(trimmed));
        string count = trimmed[alike.Length..].Trim();
        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
            throw new UserInputException($"queries '{text}'", $"the point count '{count}' is not a positive integer; expected {Syntax}");
        return new AlikeQuerySource(n);
    }
}
