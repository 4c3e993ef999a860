using System.Globalization;
using OpenCvSharp;

namespace IMatching.Cli.Tests.Commands;

/// <summary>
/// Small inputs, good and bad, written once into a temporary folder for <see cref="BadInputTests"/>: a TUM-layout
/// sequence, homography sets, BAL and trajectory files, damaged weight files. Everything is tiny so the whole
/// table runs in seconds.
/// </summary>
public sealed class BadInputData : IDisposable
{
    public const int Width = 64, Height = 48;

    public BadInputData()
    {
        Root = Directory.CreateTempSubdirectory("imatching-badinput-").FullName;
        Image("img.png");
        File.WriteAllText(PathOf("not-an-image.png"), "not a png");
        Directory.CreateDirectory(PathOf("a-folder"));
        File.WriteAllText(PathOf("a-file"), "x");

        Sequence("tum_good", frames: 5);
        Sequence("tum_odd_size", frames: 5, oddFrame: 3);
        Sequence("tum_repeated_line", frames: 5, repeatedLine: 2);
        Sequence("tum_no_camera", frames: 3, camera: false);

        Kitti("kitti_repeated_time", frames: 4, repeatedTime: 2);

        HomographySet("graf_good", 3);
        HomographySet("graf_no_h3", 4, skipHomography: 3);
        HomographySet("graf_no_img3", 4, skipImage: 3);
        HomographySet("graf_rank1", 2, matrix: "1 2 3 2 4 6 1 2 3");

        File.WriteAllText(PathOf("header_missing_token.bal"), "1 1\n0 0 1 1\n0 0 0 0 0 0 500 0 0\n0 0 -5\n");
        File.WriteAllText(PathOf("truncated.bal"), "1 1 2\n0 0 1 1\n");
        Trajectory("gt.txt", i => (Math.Cos(0.5 * i), Math.Sin(0.5 * i), 0.2 * i));
        Trajectory("est_same_centre.txt", _ => (1, 2, 3));
        Trajectory("est_collinear.txt", i => (i, 2.0 * i, -i));

        File.WriteAllBytes(PathOf("empty.pth"), []);
        File.WriteAllBytes(PathOf("random.pth"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
        byte[] weights = File.ReadAllBytes(Path.Combine(RepoPaths.Shared, "weights", "alike", "alike-t.pth"));
        File.WriteAllBytes(PathOf("truncated.pth"), weights[..(weights.Length / 2)]);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Image(string relative, int width = Width, int height = Height)
    {
        using var image = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(image, Scalar.All(0), Scalar.All(255));
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(relative))!);
        Cv2.ImWrite(PathOf(relative), image);
    }

    /// <summary>TUM layout with <c>camera.txt</c>; optionally one frame of half size, or one rgb.txt line written twice.</summary>
    private void Sequence(string name, int frames, int? oddFrame = null, int? repeatedLine = null, bool camera = true)
    {
        var lines = new List<string> { "# timestamp filename" };
        for (int i = 0; i < frames; i++)
        {
            bool odd = i == oddFrame;
            Image($"{name}/rgb/{i:D4}.png", odd ? Width / 2 : Width, odd ? Height / 2 : Height);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i * 0.1:F6} rgb/{i:D4}.png"));
            if (i == repeatedLine) lines.Add(lines[^1]);
        }
        File.WriteAllLines(PathOf($"{name}/rgb.txt"), lines);
        if (camera) File.WriteAllText(PathOf($"{name}/camera.txt"), "50 50 31.5 23.5\n");
    }

    /// <summary>KITTI odometry layout (image_0, calib.txt, times.txt) whose times.txt repeats one timestamp.</summary>
    private void Kitti(string name, int frames, int repeatedTime)
    {
        for (int i = 0; i < frames; i++) Image($"{name}/image_0/{i:D6}.png");
        File.WriteAllText(PathOf($"{name}/calib.txt"), "P0: 50 0 31.5 0 0 50 23.5 0 0 0 1 0\n");
        File.WriteAllLines(PathOf($"{name}/times.txt"),
            Enumerable.Range(0, frames).Select(i => string.Create(CultureInfo.InvariantCulture, $"{(i == repeatedTime ? i - 1 : i) * 0.1:F6}")));
    }

    /// <summary>Oxford layout img1..N.png with H1toNp; one homography or image may be left out, or every matrix replaced.</summary>
    private void HomographySet(string name, int images, int? skipHomography = null, int? skipImage = null, string matrix = "1 0 2 0 1 0 0 0 1")
    {
        for (int n = 1; n <= images; n++)
        {
            if (n != skipImage) Image($"{name}/img{n}.png");
            if (n >= 2 && n != skipHomography) File.WriteAllText(PathOf($"{name}/H1to{n}p"), matrix);
        }
    }

    private void Trajectory(string name, Func<int, (double X, double Y, double Z)> centre) =>
        File.WriteAllLines(PathOf(name), Enumerable.Range(0, 10).Select(i =>
        {
            var (x, y, z) = centre(i);
            return string.Create(CultureInfo.InvariantCulture, $"{i * 0.1:R} {x:R} {y:R} {z:R} 0 0 0 1");
        }));
}
