using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.TestSupport;

/// <summary>Reads an image file as the networks expect it: RGB float32 in [0, 1], 1x3xHxW.</summary>
internal static class RgbImageTensor
{
    public static Tensor Load(string path)
    {
        using Mat bgr = Cv2.ImRead(path, ImreadModes.Color);
        if (bgr.Empty())
            throw new FileNotFoundException("Cannot read image.", path);
        using Mat rgb = bgr.CvtColor(ColorConversionCodes.BGR2RGB);
        using Mat scaled = new();
        rgb.ConvertTo(scaled, MatType.CV_32FC3, 1.0 / 255.0);

        var pixels = new float[scaled.Rows * scaled.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(scaled.Data, pixels, 0, pixels.Length);
        using var scope = NewDisposeScope();
        Tensor hwc = tensor(pixels, [scaled.Rows, scaled.Cols, 3]);
        return scope.MoveToOuter(hwc.permute(2, 0, 1).unsqueeze(0).contiguous());
    }
}
