using IMatching.Geometry;

namespace IMatching.Vision.Datasets;

/// <summary>
/// A dataset that cannot be read: a missing folder or file, a malformed line, an impossible value. One type for
/// all of them so a command can report any dataset problem the same way; <paramref name="subject"/> names the
/// file, folder or spec concerned.
/// </summary>
public class DatasetException(string subject, string problem) : UserInputException(subject, problem);

/// <summary>A malformed line of a dataset file; the subject is <c>FILE:LINE</c>.</summary>
public sealed class DatasetFormatException(string path, int line, string problem)
    : DatasetException($"{path}:{line}", problem)
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}
