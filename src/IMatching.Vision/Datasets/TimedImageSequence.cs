using IMatching.Geometry.Cameras;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Builds a sequence from the TUM layout that ETH3D SLAM shares: <c>rgb.txt</c>, optional <c>depth.txt</c> and
/// <c>groundtruth.txt</c>, each paired with the images by nearest timestamp within 20 ms.
/// </summary>
internal static class TimedImageSequence
{
    /// <summary>TUM and ETH3D depth PNGs store depth in units of 1/5000 m.</summary>
    public const double DepthScale = 5000;

    /// <summary>Reads the image list and returns its first image's size, so intrinsics can be built before the frames.</summary>
    public static List<(double Time, string Path)> ReadImages(string folder, out int width, out int height)
    {
        var images = TimedImageList.ReadFrames(Path.Combine(folder, "rgb.txt"), folder);
        (width, height) = ImageSize.Read(images[0].Path);
        return images;
    }

    public static Sequence Build(string folder, List<(double Time, string Path)> images, PinholeCamera camera)
    {
        string depthList = Path.Combine(folder, "depth.txt"), groundTruth = Path.Combine(folder, "groundtruth.txt");
        var depth = File.Exists(depthList) ? TimedImageList.Read(depthList, folder).OrderBy(d => d.Time).ToList() : [];
        var depthTimes = depth.Select(d => d.Time).ToArray();
        var trajectory = File.Exists(groundTruth) ? TimedImageList.ReadTrajectory(groundTruth) : null;
        var frames = new Frame[images.Count];
        for (int i = 0; i < frames.Length; i++)
        {
            var (time, path) = images[i];
            int d = TimestampMatch.Nearest(depthTimes, time);
            var worldFromCamera = trajectory?.At(time, TimestampMatch.ToleranceSeconds);
            frames[i] = new Frame(i, time, path, camera, worldFromCamera?.Inverse(), d >= 0 ? depth[d].Path : null, DepthScale);
        }
        return new Sequence(ImageFiles.Name(folder), frames);
    }
}
