using IMatching.Geometry;

namespace IMatching.Vision.Datasets;

/// <summary>
/// ETH3D SLAM (Schöps et al. 2019): the TUM layout (<c>rgb.txt</c>, optional <c>depth.txt</c>, <c>groundtruth.txt</c>
/// camera-to-world) with intrinsics in <c>calibration.txt</c> (<c>fx fy cx cy</c>, images are undistorted).
/// </summary>
public static class Eth3dReader
{
    public static Sequence Read(string folder)
    {
        InputPaths.RequireFolder(folder, "ETH3D sequence folder");
        var images = TimedImageSequence.ReadImages(folder, out int width, out int height);
        var camera = IntrinsicsFile.Read(Path.Combine(folder, "calibration.txt"), width, height);
        return TimedImageSequence.Build(folder, images, camera);
    }
}
