using IMatching.Vision.Datasets;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Opens <c>synthetic:</c> data specs: each distinct spec is rendered once into
/// <c>$XDG_CACHE_HOME/imatching/synthetic/rN/NAME-FRAMES-SEED-WxH</c> (<c>~/.cache</c> without XDG_CACHE_HOME; rN the
/// renderer version) and read back as a TUM sequence with depth and ground truth. Renders go to a temporary
/// sibling renamed into place, so a folder that exists is complete even if a render was interrupted or raced.
/// </summary>
internal static class SyntheticCache
{
    public static Sequence Open(string path) => Open(path, DefaultRoot());

    public static Sequence Open(string path, string cacheRoot)
    {
        var spec = SyntheticSpec.Parse(path);
        string folder = Path.Combine(cacheRoot, "imatching", "synthetic", $"r{SyntheticSequence.RendererVersion}", spec.FolderName);
        if (!Directory.Exists(folder)) RenderInto(spec, folder);
        return TumReader.Read(folder);
    }

    public static string DefaultRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        // The XDG spec says a relative path is invalid and must be ignored.
        return !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
    }

    private static void RenderInto(SyntheticSpec spec, string folder)
    {
        string temporary = $"{folder}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            try
            {
                SyntheticSequence.Render(spec.Domain, spec.Frames, spec.Width, spec.Height, spec.Seed, temporary, speed: spec.Speed);
            }
            catch (ArgumentException e)
            {
                throw new DatasetException($"synthetic:{spec.FolderName}", e.Message);
            }
            Directory.Move(temporary, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another process finished the same render first; its copy is as good as ours.
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
    }
}
