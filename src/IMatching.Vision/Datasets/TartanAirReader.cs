using IMatching.Geometry;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;

namespace IMatching.Vision.Datasets;

/// <summary>
/// TartanAir (Wang et al. 2020), left camera: <c>image_left/*.png</c>, <c>pose_left.txt</c>
/// (<c>tx ty tz qx qy qz qw</c> per image) and optional <c>depth_left/*_left_depth.npy</c> (float32 metres).
/// Poses are given for a body with x forward, y right, z down in a NED world; they are re-expressed for the
/// camera axes (x right, y down, z forward) in a world with the same axis convention, as tartanair_tools'
/// <c>ned2cam</c> does, so relative poses are those of a normal camera. No timestamps: the index is used.
/// </summary>
public static class TartanAirReader
{
    /// <summary>Published intrinsics of every TartanAir camera (640x480, 90° horizontal field of view).</summary>
    public static readonly PinholeCamera Camera = new(640, 480, 320, 320, 320, 240);

    /// <summary>nedFromCamera: camera x (right) is NED y, camera y (down) is NED z, camera z (forward) is NED x.</summary>
    private static readonly Se3 NedFromCamera = new(Mat3.FromColumns(new Vec3(0, 1, 0), new Vec3(0, 0, 1), new Vec3(1, 0, 0)), Vec3.Zero);

    public static Sequence Read(string folder)
    {
        InputPaths.RequireFolder(folder, "TartanAir sequence folder");
        var images = ImageFiles.InFolder(Path.Combine(folder, "image_left"));
        string posePath = Path.Combine(folder, "pose_left.txt");
        var poses = File.Exists(posePath) ? ReadPoses(posePath, images.Count) : null;
        string depthFolder = Path.Combine(folder, "depth_left");
        var frames = new Frame[images.Count];
        for (int i = 0; i < frames.Length; i++)
        {
            string depth = Path.Combine(depthFolder, Path.GetFileNameWithoutExtension(images[i]) + "_depth.npy");
            frames[i] = new Frame(i, i, images[i], Camera, poses?[i], File.Exists(depth) ? depth : null, DepthScale: 1);
        }
        return new Sequence(ImageFiles.Name(folder), frames);
    }

    private static Se3[] ReadPoses(string path, int imageCount)
    {
        var cameraFromNed = NedFromCamera.Inverse();
        var poses = TextRow.ReadAll(path).Select(row =>
        {
            var nedWorldFromBody = PoseFields.TranslationQuaternionXyzw(row.RequireAtLeast(7, "tx ty tz qx qy qz qw"), 0);
            // The body axes are NED axes too, so the same fixed rotation changes both ends of the transform.
            var worldFromCamera = cameraFromNed.Compose(nedWorldFromBody).Compose(NedFromCamera);
            return worldFromCamera.Inverse();
        }).ToArray();
        return poses.Length == imageCount ? poses : throw new DatasetException(path, $"{poses.Length} poses for {imageCount} images");
    }
}
