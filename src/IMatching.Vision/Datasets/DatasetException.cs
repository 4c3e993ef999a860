namespace IMatching.Vision.Datasets;

/// <summary>
/// A dataset that cannot be read: a missing folder or file, a malformed line, an impossible value. One type for
/// all of them so a command can report any dataset problem the same way.
/// </summary>
public class DatasetException(string message) : Exception(message);

/// <summary>A malformed line of a dataset file; the message starts with <c>FILE:LINE:</c>.</summary>
public sealed class DatasetFormatException(string path, int line, string problem)
    : DatasetException($"{path}:{line}: {problem}")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}
