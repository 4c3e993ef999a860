using System.Globalization;
using System.Text.RegularExpressions;
using IMatching.Geometry;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Homography benchmarks: Oxford VGG (<c>img1..6.(png|ppm|pgm|jpg)</c>, <c>H1toNp</c>) and HPatches
/// (<c>1..6.ppm</c>, <c>H_1_N</c>). Targets run from image 2 up to the highest number with an image or a
/// homography; a number in between that lacks either is an error naming the missing file, so a damaged copy is
/// never scored on fewer pairs without a word.
/// </summary>
public static class HomographySetReader
{
    private static readonly string[] Extensions = [".png", ".ppm", ".pgm", ".jpg"];

    /// <summary>A homography whose smallest singular value is below this fraction of its largest is singular: no 1:1 map of the image.</summary>
    private const double SingularRatio = 1e-9;

    public static HomographySet Read(string folder)
    {
        InputPaths.RequireFolder(folder, "homography set folder");
        var (imagePrefix, homographyName) = FindImage(folder, "img", 1) is not null ? ("img", (Func<string, string>)(n => $"H1to{n}p"))
            : FindImage(folder, "", 1) is not null ? ("", n => $"H_1_{n}")
            : throw new DatasetException(folder, "has neither img1.(png|ppm|pgm|jpg) (Oxford VGG) nor 1.ppm (HPatches)");
        int last = HighestNumber(folder, imagePrefix, homographyName);
        if (last < 2) throw new DatasetException(folder, $"has no target image with its {homographyName("2")}");
        var targets = new List<string>();
        var homographies = new List<double[]>();
        for (int n = 2; n <= last; n++)
        {
            string matrix = Path.Combine(folder, homographyName(n.ToString(CultureInfo.InvariantCulture)));
            string image = FindImage(folder, imagePrefix, n)
                ?? throw new DatasetException(Path.Combine(folder, $"{imagePrefix}{n}.png"), $"missing (no {imagePrefix}{n}.(png|ppm|pgm|jpg)), but the set goes up to {last}");
            if (!File.Exists(matrix)) throw new DatasetException(matrix, $"missing: image {Path.GetFileName(image)} has no ground-truth homography");
            targets.Add(image);
            homographies.Add(ReadMatrix(matrix));
        }
        return new HomographySet(ImageFiles.Name(folder), FindImage(folder, imagePrefix, 1)!, targets, homographies);
    }

    private static string? FindImage(string folder, string prefix, int number) =>
        Extensions.Select(e => Path.Combine(folder, $"{prefix}{number}{e}")).FirstOrDefault(File.Exists);

    /// <summary>The highest target number any image or homography file of the set's naming carries.</summary>
    private static int HighestNumber(string folder, string imagePrefix, Func<string, string> homographyName)
    {
        var image = new Regex($"^{Regex.Escape(imagePrefix)}([0-9]+)({string.Join("|", Extensions.Select(Regex.Escape))})$", RegexOptions.IgnoreCase);
        var matrix = new Regex($"^{homographyName("([0-9]+)")}$");
        return Directory.EnumerateFiles(folder).Select(Path.GetFileName)
            .Select(name => image.Match(name!) is { Success: true } m ? m : matrix.Match(name!))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0).Max();
    }

    private static double[] ReadMatrix(string path)
    {
        var rows = TextRow.ReadAll(path);
        var values = rows.SelectMany(r => r.Fields.Select((_, i) => r.Double(i, $"entry {i + 1}"))).ToArray();
        if (values.Length != 9) throw new DatasetException(path, $"holds {values.Length} numbers, a 3x3 homography needs 9");
        if (values[8] == 0) throw new DatasetException(path, "H[2,2] is 0, cannot normalise");
        double[] normalised = [.. values.Select(v => v / values[8])];
        var singular = Svd3.Decompose(new Mat3(normalised[0], normalised[1], normalised[2], normalised[3], normalised[4], normalised[5],
            normalised[6], normalised[7], normalised[8])).S;
        if (!(singular.Z > SingularRatio * singular.X))
            throw new DatasetException(path, string.Create(CultureInfo.InvariantCulture,
                $"the homography is singular (singular values {singular.X:G3}, {singular.Y:G3}, {singular.Z:G3}): it maps no image onto another"));
        return normalised;
    }
}
