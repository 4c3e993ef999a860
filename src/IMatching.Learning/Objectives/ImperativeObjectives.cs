namespace IMatching.Learning.Objectives;

/// <summary>Which objective imperative learning minimises (<c>--objective</c>).</summary>
public enum ImperativeObjectiveKind
{
    /// <summary><c>ba-cost</c>: the BA's own robust cost (<see cref="BaCostObjective"/>).</summary>
    BaCost,
    /// <summary><c>published</c>: clamped reprojection distances plus CAPS's epipolar term (<see cref="PublishedObjective"/>).</summary>
    Published,
}

/// <summary>The objectives by kind and by option name: one line each.</summary>
public static class ImperativeObjectives
{
    private static readonly Dictionary<string, ImperativeObjectiveKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        [BaCostObjective.OptionName] = ImperativeObjectiveKind.BaCost,
        [PublishedObjective.OptionName] = ImperativeObjectiveKind.Published,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(ImperativeObjectiveKind kind) => ByName.First(e => e.Value == kind).Key;

    /// <returns>null for an unknown name.</returns>
    public static ImperativeObjectiveKind? Parse(string name) => ByName.TryGetValue(name.Trim(), out var kind) ? kind : null;

    public static IImperativeObjective Create(ImperativeObjectiveKind kind, double coarseWeight) => kind switch
    {
        ImperativeObjectiveKind.BaCost => new BaCostObjective(coarseWeight),
        ImperativeObjectiveKind.Published => new PublishedObjective(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown objective."),
    };
}
