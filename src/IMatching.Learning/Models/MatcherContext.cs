namespace IMatching.Learning.Models;

/// <summary>Settings shared by every model a spec can name.</summary>
public sealed record MatcherContext
{
    /// <summary>Device option (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>auto</c>) for learned models.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Features per image for the classical matchers; query points for learned ones.</summary>
    public int MaxFeatures { get; init; } = 4000;
}
