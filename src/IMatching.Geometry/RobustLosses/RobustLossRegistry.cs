using System.Globalization;

namespace IMatching.Geometry.RobustLosses;

/// <summary>The one place that maps the text of a robust loss ("huber:1", "cauchy:0.5", "none") to its type.</summary>
public static class RobustLossRegistry
{
    private static readonly Dictionary<string, Func<double, LossFunction>> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["huber"] = scale => new HuberLoss(scale),
        ["cauchy"] = scale => new CauchyLoss(scale),
    };

    public static IEnumerable<string> KindNames => Kinds.Keys;

    /// <summary>"none" (or "trivial", or empty) is the plain square: null. Otherwise KIND:SCALE, SCALE in pixels (default 1).</summary>
    public static LossFunction? Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':', 2);
        string kind = parts[0].Trim();
        if (kind.Length == 0 || kind.Equals("none", StringComparison.OrdinalIgnoreCase) || kind.Equals("trivial", StringComparison.OrdinalIgnoreCase)) return null;
        double scale = 1;
        if (parts.Length == 2 && !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out scale))
            throw new FormatException($"Robust loss '{spec}': scale '{parts[1]}' is not a number.");
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new FormatException($"Robust loss '{spec}': scale must be a positive number of pixels.");
        if (!Kinds.TryGetValue(kind, out var create))
            throw new FormatException($"Robust loss '{spec}': unknown kind '{kind}' (expected none, or {string.Join(", ", Kinds.Keys.Select(k => k + ":SCALE"))}).");
        return create(scale);
    }
}
