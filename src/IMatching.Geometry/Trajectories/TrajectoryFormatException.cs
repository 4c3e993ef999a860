namespace IMatching.Geometry.Trajectories;

/// <summary>A trajectory file that cannot be read, with the file and line where reading stopped.</summary>
public sealed class TrajectoryFormatException(string path, int line, string problem)
    : UserInputException($"{path}:{line}", problem)
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}
