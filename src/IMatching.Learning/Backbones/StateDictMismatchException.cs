using IMatching.Geometry;

namespace IMatching.Learning.Backbones;

/// <summary>A weight file whose state dict is not exactly the network's: every offending key is listed.</summary>
public sealed class StateDictMismatchException : UserInputException
{
    public StateDictMismatchException(string origin, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape)
        : base(origin, Describe(missing, unexpected, wrongShape))
    {
        Missing = missing;
        Unexpected = unexpected;
        WrongShape = wrongShape;
    }

    /// <summary>Keys the network has and the file lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Keys the file has and the network lacks.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys present in both with different shapes, each as <c>key (file [..], network [..])</c>.</summary>
    public IReadOnlyList<string> WrongShape { get; }

    private static string Describe(IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {string.Join(", ", unexpected)}");
        if (wrongShape.Count > 0) parts.Add($"wrong shapes: {string.Join(", ", wrongShape)}");
        return $"the state dict does not match the network; {string.Join("; ", parts)}";
    }
}
