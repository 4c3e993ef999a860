using System.Text.RegularExpressions;
using IMatching.Geometry;
using IMatching.Geometry.Cameras;

namespace IMatching.Vision.Datasets;

/// <summary>
/// TUM RGB-D (Sturm et al. 2012): <c>rgb.txt</c>, optional <c>depth.txt</c> and <c>groundtruth.txt</c>
/// (camera-to-world <c>timestamp tx ty tz qx qy qz qw</c>, inverted to cameraFromWorld). Intrinsics come from
/// <c>intrinsicsPath</c>, else the folder's <c>camera.txt</c> (<see cref="IntrinsicsFile"/> format),
/// else the published calibration of the camera the folder name mentions (freiburg1/2/3 or fr1/2/3).
/// </summary>
public static partial class TumReader
{
    public static Sequence Read(string folder, string? intrinsicsPath = null)
    {
        InputPaths.RequireFolder(folder, "TUM sequence folder");
        var images = TimedImageSequence.ReadImages(folder, out int width, out int height);
        string cameraFile = intrinsicsPath ?? Path.Combine(folder, "camera.txt");
        var camera = intrinsicsPath is not null || File.Exists(cameraFile)
            ? IntrinsicsFile.Read(cameraFile, width, height)
            : PublishedCamera(folder, width, height);
        return TimedImageSequence.Build(folder, images, camera);
    }

    /// <summary>The calibrations published on the TUM RGB-D site (colour camera, 640x480).</summary>
    private static PinholeCamera PublishedCamera(string folder, int width, int height)
    {
        var match = FreiburgName().Match(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))));
        double[] p = (match.Success ? match.Groups[1].Value : "") switch
        {
            "1" => [517.306408, 516.469215, 318.643040, 255.313989, 0.262383, -0.953104, -0.005358, 0.002628, 1.163314],
            "2" => [520.908620, 521.007327, 325.141442, 249.701764, 0.231222, -0.784899, -0.003257, -0.000105, 0.917205],
            "3" => [535.4, 539.2, 320.1, 247.6, 0, 0, 0, 0, 0],
            _ => throw new DatasetException(folder,
                "has no camera.txt and its name mentions no TUM camera (freiburg1/2/3 or fr1/2/3): give an intrinsics file"),
        };
        return PinholeCamera.FromParameters(width, height, p);
    }

    [GeneratedRegex(@"(?:freiburg|fr)([123])", RegexOptions.IgnoreCase)]
    private static partial Regex FreiburgName();
}
