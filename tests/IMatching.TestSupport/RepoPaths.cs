namespace IMatching.TestSupport;

/// <summary>The repository root (the folder holding IMatching.slnx) and the read-only data beside it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary><c>&lt;root&gt;/../shared</c>: BAL problems, real sequences, weights and fixtures.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IMatching.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No IMatching.slnx above {AppContext.BaseDirectory}: cannot locate the repository root.");
    }
}
