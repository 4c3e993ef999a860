using IMatching.Geometry;

namespace IMatching.Cli.Commands;

/// <summary>
/// Output paths are checked before any work, so a typo or a read-only folder fails in a second instead of
/// after minutes of matching or solving, with the option and the path named.
/// </summary>
internal static class OutputPaths
{
    /// <summary>A file to write: its folder must exist and take a new file; the path must not be a folder.</summary>
    public static void RequireWritableFile(FileInfo? file, string option)
    {
        if (file is null) return;
        if (Directory.Exists(file.FullName)) throw new UserInputException($"{option} {file.FullName}", "is a directory; give a file path");
        var folder = file.Directory!;
        if (File.Exists(folder.FullName)) throw new UserInputException($"{option} {file.FullName}", $"{folder.FullName} is a file, not a folder");
        if (!folder.Exists) throw new UserInputException($"{option} {file.FullName}", $"folder {folder.FullName} does not exist");
        RequireWritable(folder.FullName, option);
    }

    /// <summary>A folder to write into: created when missing, and it must take a new file.</summary>
    public static void RequireWritableFolder(DirectoryInfo? folder, string option)
    {
        if (folder is null) return;
        if (File.Exists(folder.FullName)) throw new UserInputException($"{option} {folder.FullName}", "is a file, not a folder");
        try
        {
            Directory.CreateDirectory(folder.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{option} {folder.FullName}", $"cannot create the folder: {e.Message}", e);
        }
        RequireWritable(folder.FullName, option);
    }

    /// <summary>Creates and deletes a probe file: permissions, read-only mounts and full quotas all show up here.</summary>
    private static void RequireWritable(string folder, string option)
    {
        string probe = Path.Combine(folder, $".imatching-write-probe-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{option} {folder}", $"cannot write there: {e.Message}", e);
        }
    }
}
