using IMatching.Geometry;

namespace IMatching.Learning.Models;

/// <summary>
/// How every command names a model: <c>NAME[:WEIGHTS]</c>, e.g. <c>sift</c>, <c>orb</c>,
/// <c>alike-n:PATH.pth</c>, <c>alike-n+exp:PATH.pth</c>, <c>caps:PATH.pth</c>, <c>ckpt:PATH</c>.
/// </summary>
public sealed record ModelSpec(string Name, string? WeightsPath)
{
    public static ModelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0) throw new UserInputException("model spec ''", "empty: expected NAME[:WEIGHTS], e.g. sift or alike-n:weights.pth");
        int colon = trimmed.IndexOf(':');
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant();
        string? weights = colon < 0 ? null : trimmed[(colon + 1)..].Trim();
        if (name.Length == 0) throw new UserInputException($"model spec '{text}'", "the name before ':' is empty");
        if (weights is { Length: 0 }) throw new UserInputException($"model spec '{text}'", "the weights path after ':' is empty");
        return new ModelSpec(name, weights);
    }

    public override string ToString() => WeightsPath is null ? Name : $"{Name}:{WeightsPath}";
}
