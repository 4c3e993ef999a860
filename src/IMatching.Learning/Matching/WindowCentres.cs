namespace IMatching.Learning.Matching;

/// <summary>The window centres by option name (<c>--window-centre</c>): one line each.</summary>
public static class WindowCentres
{
    private static readonly Dictionary<string, WindowCentre> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["attached"] = WindowCentre.Attached,
        ["nearest"] = WindowCentre.Nearest,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(WindowCentre centre) => ByName.First(e => e.Value == centre).Key;

    /// <returns>null for an unknown name.</returns>
    public static WindowCentre? Parse(string name) => ByName.TryGetValue(name.Trim(), out var centre) ? centre : null;
}
