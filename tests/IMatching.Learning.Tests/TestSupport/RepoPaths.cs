namespace IMatching.Learning.Tests.TestSupport;

/// <summary>The repository root (the folder holding IMatching.slnx) and the fixtures folder shared beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IMatching.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No IMatching.slnx above {AppContext.BaseDirectory}.");
    }
}
