using System.Globalization;
using System.Text;
using IMatching.Geometry.Cameras;
using IMatching.Geometry.Trajectories;
using IMatching.Vision.Datasets;
using OpenCvSharp;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// Renders a synthetic sequence into a folder in the TUM RGB-D layout, so <c>tum:FOLDER</c> reads it with its
/// depth and exact ground truth: <c>rgb/*.png</c>, <c>depth/*.png</c> (16-bit, metres x 5000, 0 = none),
/// <c>rgb.txt</c>, <c>depth.txt</c>, <c>groundtruth.txt</c> (camera-to-world, timestamps equal to the images'),
/// <c>camera.txt</c> (<see cref="IntrinsicsFile"/> format) and <c>info.txt</c> (domain, seed, settings).
/// </summary>
public static class SyntheticSequence
{
    /// <summary>Changes whenever the same arguments would render different pixels, so caches can tell stale renders.</summary>
    public const int RendererVersion = 1;

    public const int MaxSize = 4096, MaxSupersampling = 8;

    /// <summary>The camera of every synthetic sequence: TUM-like 525 px focal length at 640 px width (62 deg field of view), no distortion.</summary>
    public static PinholeCamera Camera(int width, int height)
    {
        double focal = 525.0 * width / 640;
        return new PinholeCamera(width, height, focal, focal, 0.5 * (width - 1), 0.5 * (height - 1));
    }

    /// <param name="supersampling">Samples per pixel along each axis (2 = 2x2) against aliasing.</param>
    /// <param name="speed">Camera speed relative to the default ~2.2 cm and ~0.8 degrees per frame.</param>
    /// <param name="progress">Receives (frames written, total) after each frame.</param>
    public static RenderedSequence Render(string domain, int frames, int width, int height, int seed, string folder,
        int supersampling = 2, double speed = 1, IProgress<(int Done, int Total)>? progress = null)
    {
        var look = SyntheticDomains.Get(domain);
        if (frames < 1) throw new ArgumentException($"frames must be at least 1, not {frames}");
        if (width < 8 || height < 8 || width > MaxSize || height > MaxSize)
            throw new ArgumentException($"image size {width}x{height} is outside 8x8 to {MaxSize}x{MaxSize}");
        if (supersampling < 1 || supersampling > MaxSupersampling)
            throw new ArgumentException($"supersampling must be 1 to {MaxSupersampling}, not {supersampling}");
        if (!(speed > 0) || !double.IsFinite(speed)) throw new ArgumentException($"speed must be positive, not {speed}");

        var camera = Camera(width, height);
        var poses = HandHeldTrajectory.Generate(frames, seed, speed);
        // TUM's six decimals; the same doubles go to every list, so the reader pairs them exactly.
        var times = Enumerable.Range(0, frames).Select(k => Math.Round(k / HandHeldTrajectory.FramesPerSecond, 6)).ToArray();
        var renderer = new SyntheticFrameRenderer(look, RoomGenerator.Generate(look, seed), camera, seed, supersampling);
        Directory.CreateDirectory(Path.Combine(folder, "rgb"));
        Directory.CreateDirectory(Path.Combine(folder, "depth"));
        var names = new string[frames];
        for (int k = 0; k < frames; k++)
        {
            names[k] = k.ToString("D6", CultureInfo.InvariantCulture) + ".png";
            var (image, depth) = renderer.Render(k, poses[k]);
            using (image) Write(Path.Combine(folder, "rgb", names[k]), image);
            using (var depthPng = DepthPng(depth, width, height)) Write(Path.Combine(folder, "depth", names[k]), depthPng);
            progress?.Report((k + 1, frames));
        }

        WriteList(Path.Combine(folder, "rgb.txt"), "color images", "rgb", times, names);
        WriteList(Path.Combine(folder, "depth.txt"), "depth maps", "depth", times, names);
        TumTrajectoryFormat.Write(new Trajectory(times.Select((t, k) => new TimedPose(t, poses[k]))), Path.Combine(folder, "groundtruth.txt"));
        WriteText(Path.Combine(folder, "camera.txt"),
            "# synthetic pinhole camera, no distortion: fx fy cx cy",
            Invariant($"pinhole {camera.Fx:R} {camera.Fy:R} {camera.Cx:R} {camera.Cy:R}"));
        WriteText(Path.Combine(folder, "info.txt"),
            "# IMatching synthetic sequence",
            $"domain {look.Name}",
            Invariant($"seed {seed}"),
            Invariant($"frames {frames}"),
            Invariant($"size {width}x{height}"),
            Invariant($"supersampling {supersampling}"),
            Invariant($"speed {speed:R}"),
            Invariant($"renderer {RendererVersion}"));
        return new RenderedSequence(folder, look.Name, seed, camera, times, poses);
    }

    private static Mat DepthPng(float[] depth, int width, int height)
    {
        var raw = new ushort[depth.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            double units = Math.Round(depth[i] * TimedImageSequence.DepthScale);
            // Zero means no measurement, as in TUM; NaN fails both comparisons.
            raw[i] = units >= 1 && units <= ushort.MaxValue ? (ushort)units : (ushort)0;
        }
        using var wrapped = Mat.FromPixelData(height, width, MatType.CV_16UC1, raw);
        return wrapped.Clone();
    }

    private static void Write(string path, Mat image)
    {
        if (!Cv2.ImWrite(path, image)) throw new IOException($"could not write {path}");
    }

    private static void WriteList(string path, string what, string folder, double[] times, string[] names) =>
        WriteText(path, [$"# {what}", "# timestamp filename", .. times.Select((t, k) => Invariant($"{t:R} {folder}/{names[k]}"))]);

    private static void WriteText(string path, params string[] lines) => File.WriteAllLines(path, lines, new UTF8Encoding(false));

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
