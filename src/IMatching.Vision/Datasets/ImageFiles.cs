using IMatching.Geometry;

namespace IMatching.Vision.Datasets;

/// <summary>The image files of a folder in name order (ordinal, so <c>000010.png</c> follows <c>000009.png</c> when zero-padded).</summary>
internal static class ImageFiles
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
        { ".png", ".jpg", ".jpeg", ".ppm", ".pgm", ".bmp", ".tif", ".tiff", ".webp" };

    public static List<string> InFolder(string folder)
    {
        InputPaths.RequireFolder(folder, "image folder");
        var files = Directory.EnumerateFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new DatasetException(folder, $"holds no images ({string.Join(", ", Extensions.Order())})");
    }

    public static string Name(string folder) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
}
