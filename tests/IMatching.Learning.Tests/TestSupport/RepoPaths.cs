namespace IMatching.Learning.Tests.TestSupport;

/// <summary>Locations in the repository, found from the test assembly's directory.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding IMatching.slnx.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Data shared by all checkouts (weights, fixtures, ...): <c>&lt;root&gt;/../shared</c>.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IMatching.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No directory above {AppContext.BaseDirectory} contains IMatching.slnx.");
    }
}
