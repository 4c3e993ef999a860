using OpenCvSharp;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Reads depth maps: 16-bit PNGs (TUM, ETH3D: metres = value / scale, 0 = no measurement) and float32 .npy
/// (TartanAir: metres already). Zero, negative and non-finite depths become NaN.
/// </summary>
public static class DepthMapLoader
{
    /// <summary>A frame's depth map, which must have the size of the frame's image (its intrinsics' size): depth is looked up at image pixels.</summary>
    public static DepthMap Load(Frame frame)
    {
        string path = frame.DepthPath ?? throw new DatasetException(frame.ImagePath, $"frame {frame.SourceIndex} has no depth map");
        var depth = Load(path, frame.DepthScale);
        if (depth.Width == frame.Camera.Width && depth.Height == frame.Camera.Height) return depth;
        throw new DatasetException(path, $"is {depth.Width}x{depth.Height}, but the sequence's images are {frame.Camera.Width}x{frame.Camera.Height}");
    }

    public static DepthMap Load(string path, double depthScale)
    {
        if (!(depthScale > 0)) throw new ArgumentOutOfRangeException(nameof(depthScale), depthScale, "Depth scale must be positive.");
        return Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase) ? FromNpy(path, depthScale) : FromPng(path, depthScale);
    }

    private static DepthMap FromNpy(string path, double depthScale)
    {
        var (rows, columns, values) = NpyReader.ReadFloat32Matrix(path);
        for (int i = 0; i < values.Length; i++) values[i] = Metres(values[i] / depthScale);
        return new DepthMap(columns, rows, values);
    }

    private static DepthMap FromPng(string path, double depthScale)
    {
        using var image = FrameImageLoader.Load(path, ImreadModes.Unchanged);
        if (image.Type() != MatType.CV_16UC1)
            throw new DatasetException(path, $"depth image is {image.Type()}, expected 16-bit single channel");
        image.GetArray(out ushort[] raw);
        var values = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) values[i] = Metres(raw[i] / depthScale);
        return new DepthMap(image.Width, image.Height, values);
    }

    private static float Metres(double value) => value > 0 && double.IsFinite(value) ? (float)value : float.NaN;
}
