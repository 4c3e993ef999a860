namespace IMatching.Vision.Datasets;

/// <summary>
/// Any folder of images (sorted by name) with an <see cref="IntrinsicsFile"/> beside them, named
/// <c>intrinsics.txt</c> or <c>camera.txt</c>. No timestamps or poses: the timestamp is the index.
/// </summary>
public static class ImageFolderReader
{
    private static readonly string[] IntrinsicsNames = ["intrinsics.txt", "camera.txt"];

    public static Sequence Read(string folder)
    {
        var images = ImageFiles.InFolder(folder);
        string intrinsics = IntrinsicsNames.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists)
            ?? throw new DatasetException(folder, $"has no {string.Join(" or ", IntrinsicsNames)} ('fx fy cx cy [k1 k2 p1 p2 k3]')");
        var (width, height) = ImageSize.Read(images[0]);
        var camera = IntrinsicsFile.Read(intrinsics, width, height);
        return new Sequence(ImageFiles.Name(folder), [.. images.Select((path, i) => new Frame(i, i, path, camera))]);
    }
}
