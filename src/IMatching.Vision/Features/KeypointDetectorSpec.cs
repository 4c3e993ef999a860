using System.Globalization;
using IMatching.Geometry;

namespace IMatching.Vision.Features;

/// <summary>
/// A detector named on the command line: <c>sift:N</c>, <c>orb:N</c> or <c>fast:N</c> keep the N
/// strongest points; <c>grid:S</c> puts a point every S pixels. Kinds are case-insensitive.
/// </summary>
public sealed record KeypointDetectorSpec
{
    private const string Usage = "expected sift:N, orb:N, fast:N (N = most points kept) or grid:S (S = step in pixels)";

    private KeypointDetectorSpec(KeypointDetectorKind kind, int value) => (Kind, Value) = (kind, value);

    public KeypointDetectorKind Kind { get; }

    /// <summary>The point budget for sift/orb/fast; the step in pixels for grid.</summary>
    public int Value { get; }

    public static KeypointDetectorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new UserInputException($"detector '{text}'", Usage);
        KeypointDetectorKind kind = parts[0].Trim().ToLowerInvariant() switch
        {
            "sift" => KeypointDetectorKind.Sift,
            "orb" => KeypointDetectorKind.Orb,
            "fast" => KeypointDetectorKind.Fast,
            "grid" => KeypointDetectorKind.Grid,
            _ => throw new UserInputException($"detector '{text}'", $"unknown kind '{parts[0]}'; {Usage}"),
        };
        string what = kind == KeypointDetectorKind.Grid ? "step" : "point count";
        if (!int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value <= 0)
            throw new UserInputException($"detector '{text}'", $"the {what} '{parts[1]}' is not a positive integer; {Usage}");
        return new KeypointDetectorSpec(kind, value);
    }

    /// <summary>The detector this spec names; <paramref name="buckets"/> does not apply to a grid, which is already spread.</summary>
    public IKeypointDetector CreateDetector(int borderMarginPx = KeypointSelectionOptions.DefaultBorderMarginPx, Buckets? buckets = null) =>
        Kind == KeypointDetectorKind.Grid
            ? new GridKeypointGenerator(Value, borderMarginPx)
            : new OpenCvKeypointDetector(Kind, new KeypointSelectionOptions(Value, borderMarginPx, buckets));

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Value.ToString(CultureInfo.InvariantCulture)}";
}
