namespace IMatching.Geometry;

/// <summary>
/// Checks that a path given as input is what the reader expects before it is opened, so a missing file, a folder
/// passed as a file (or the reverse) is a <see cref="UserInputException"/> naming the path, not an IO exception.
/// </summary>
public static class InputPaths
{
    /// <summary>Throws unless <paramref name="path"/> is an existing file; <paramref name="what"/> says what it should hold (e.g. "BAL file").</summary>
    public static void RequireFile(string path, string what)
    {
        if (File.Exists(path)) return;
        throw new UserInputException(path, Directory.Exists(path) ? $"is a directory, not a {what}" : $"{what} not found");
    }

    /// <summary>Throws unless <paramref name="path"/> is an existing folder; <paramref name="what"/> says what it should hold (e.g. "TUM sequence folder").</summary>
    public static void RequireFolder(string path, string what)
    {
        if (Directory.Exists(path)) return;
        throw new UserInputException(path, File.Exists(path) ? $"is a file, not a {what}" : $"{what} not found");
    }
}
