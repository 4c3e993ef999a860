using IMatching.Geometry;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;

namespace IMatching.Vision.Datasets;

/// <summary>
/// KITTI odometry (Geiger et al. 2012), one sequence folder: <c>image_0</c> (grey, <c>P0</c>) or else <c>image_2</c>
/// (colour, <c>P2</c>), <c>calib.txt</c>, optional <c>times.txt</c> (else 10 Hz) and poses (3x4 camera-to-world rows)
/// from <c>poses.txt</c> in the folder or <c>poses/NN.txt</c> beside or above the <c>sequences</c> folder.
/// </summary>
public static class KittiReader
{
    private const double FramePeriodSeconds = 0.1;

    public static Sequence Read(string folder)
    {
        InputPaths.RequireFolder(folder, "KITTI sequence folder");
        var (imageFolder, projection) = Directory.Exists(Path.Combine(folder, "image_0")) ? ("image_0", "P0")
            : Directory.Exists(Path.Combine(folder, "image_2")) ? ("image_2", "P2")
            : throw new DatasetException(folder, "has neither image_0 nor image_2 (KITTI odometry layout)");
        var images = ImageFiles.InFolder(Path.Combine(folder, imageFolder));
        var (width, height) = ImageSize.Read(images[0]);
        var camera = ReadCamera(Path.Combine(folder, "calib.txt"), projection, width, height);
        var times = ReadTimes(Path.Combine(folder, "times.txt"), images.Count);
        var poses = ReadPoses(FindPoses(folder), images.Count);
        var frames = new Frame[images.Count];
        for (int i = 0; i < frames.Length; i++)
            frames[i] = new Frame(i, times?[i] ?? i * FramePeriodSeconds, images[i], camera, poses?[i].Inverse());
        return new Sequence(ImageFiles.Name(folder), frames);
    }

    private static PinholeCamera ReadCamera(string calibPath, string projection, int width, int height)
    {
        var row = TextRow.ReadAll(calibPath).FirstOrDefault(r => r.Fields[0] == projection + ":")
            ?? throw new DatasetException(calibPath, $"no line for {projection}");
        row.RequireAtLeast(13, $"{projection}: and 12 matrix entries");
        // P = K [I | t]: the intrinsics are the left 3x3 block (rectified images, no distortion).
        return new PinholeCamera(width, height, row.Double(1, "fx"), row.Double(6, "fy"), row.Double(3, "cx"), row.Double(7, "cy"));
    }

    private static double[]? ReadTimes(string path, int imageCount)
    {
        if (!File.Exists(path)) return null;
        var times = TextRow.ReadAll(path).Select(r => r.Double(0, "timestamp")).ToArray();
        return times.Length == imageCount ? times : throw new DatasetException(path, $"{times.Length} timestamps for {imageCount} images");
    }

    private static string? FindPoses(string folder)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string sequence = Path.GetFileName(full);
        string[] candidates =
        [
            Path.Combine(full, "poses.txt"),
            Path.Combine(full, "..", "poses", sequence + ".txt"),
            Path.Combine(full, "..", "..", "poses", sequence + ".txt"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static Se3[]? ReadPoses(string? path, int imageCount)
    {
        if (path is null) return null;
        var poses = TextRow.ReadAll(path).Select(r => PoseFields.Matrix3x4(r.RequireAtLeast(12, "3x4 matrix row-major"), 0)).ToArray();
        return poses.Length == imageCount ? poses : throw new DatasetException(path, $"{poses.Length} poses for {imageCount} images");
    }
}
