namespace IMatching.Geometry.Bal;

/// <summary>A BAL file that cannot be read, with the file and line where reading stopped.</summary>
public sealed class BalFormatException(string path, int line, string problem)
    : UserInputException($"{path}:{line}", problem)
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}
