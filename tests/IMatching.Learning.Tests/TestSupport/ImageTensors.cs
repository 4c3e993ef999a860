using System.Runtime.InteropServices;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.TestSupport;

/// <summary>Images as network input.</summary>
public static class ImageTensors
{
    /// <summary>An image file as a 1x3xHxW float32 RGB tensor in [0,1] (OpenCV reads BGR).</summary>
    public static Tensor LoadRgb(string path)
    {
        using Mat bgr = Cv2.ImRead(path, ImreadModes.Color);
        if (bgr.Empty())
            throw new FileNotFoundException($"Cannot read image '{path}'.", path);
        using Mat rgb = new();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);

        var bytes = new byte[rgb.Rows * rgb.Cols * 3];
        // A freshly converted Mat is continuous, so its rows can be copied in one go.
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        using var scope = NewDisposeScope();
        Tensor hwc = tensor(bytes, [rgb.Rows, rgb.Cols, 3]);
        return (hwc.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32) / 255f).MoveToOuterDisposeScope();
    }
}
