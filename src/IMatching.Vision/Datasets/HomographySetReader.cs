namespace IMatching.Vision.Datasets;

/// <summary>
/// Homography benchmarks: Oxford VGG (<c>img1..6.(png|ppm|pgm|jpg)</c>, <c>H1toNp</c>) and HPatches
/// (<c>1..6.ppm</c>, <c>H_1_N</c>). Targets run from image 2 up to the last with both an image and a homography.
/// </summary>
public static class HomographySetReader
{
    private static readonly string[] Extensions = [".png", ".ppm", ".pgm", ".jpg"];

    public static HomographySet Read(string folder)
    {
        if (!Directory.Exists(folder)) throw new DatasetException($"homography: folder not found: {folder}");
        var (imagePrefix, homographyName) = FindImage(folder, "img", 1) is not null ? ("img", (Func<int, string>)(n => $"H1to{n}p"))
            : FindImage(folder, "", 1) is not null ? ("", n => $"H_1_{n}")
            : throw new DatasetException($"homography: {folder} has neither img1.(png|ppm|pgm|jpg) (Oxford VGG) nor 1.ppm (HPatches)");
        var targets = new List<string>();
        var homographies = new List<double[]>();
        for (int n = 2; ; n++)
        {
            string? image = FindImage(folder, imagePrefix, n);
            string matrix = Path.Combine(folder, homographyName(n));
            if (image is null || !File.Exists(matrix)) break;
            targets.Add(image);
            homographies.Add(ReadMatrix(matrix));
        }
        if (targets.Count == 0) throw new DatasetException($"homography: {folder} has no target image with its {homographyName(2)}");
        return new HomographySet(ImageFiles.Name(folder), FindImage(folder, imagePrefix, 1)!, targets, homographies);
    }

    private static string? FindImage(string folder, string prefix, int number) =>
        Extensions.Select(e => Path.Combine(folder, $"{prefix}{number}{e}")).FirstOrDefault(File.Exists);

    private static double[] ReadMatrix(string path)
    {
        var rows = TextRow.ReadAll(path);
        var values = rows.SelectMany(r => r.Fields.Select((_, i) => r.Double(i, $"entry {i + 1}"))).ToArray();
        if (values.Length != 9) throw new DatasetException($"{path}: holds {values.Length} numbers, a 3x3 homography needs 9");
        if (values[8] == 0) throw new DatasetException($"{path}: H[2,2] is 0, cannot normalise");
        return [.. values.Select(v => v / values[8])];
    }
}
