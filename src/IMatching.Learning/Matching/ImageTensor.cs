using System.Runtime.InteropServices;
using OpenCvSharp;
using TorchSharp;
using Scalar = TorchSharp.Scalar;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>Between OpenCV images (8-bit grey, BGR or BGRA) and network input (1x3xHxW RGB float32 in [0, 1]).</summary>
public static class ImageTensor
{
    /// <summary>Reads an image file (or a video frame path) with a clear error naming the file when it cannot.</summary>
    public static Tensor Load(string path, Device? device = null)
    {
        using var image = IMatching.Vision.Datasets.FrameImageLoader.Load(path);
        return FromMat(image, device);
    }

    public static Tensor FromMat(Mat image, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("The image is empty.", nameof(image));
        if (image.Depth() != MatType.CV_8U) throw new ArgumentException($"Expected an 8-bit image, got {image.Type()}.", nameof(image));
        ColorConversionCodes code = image.Channels() switch
        {
            1 => ColorConversionCodes.GRAY2RGB,
            3 => ColorConversionCodes.BGR2RGB,
            4 => ColorConversionCodes.BGRA2RGB,
            int c => throw new ArgumentException($"Expected 1, 3 or 4 channels, got {c}.", nameof(image)),
        };
        using Mat rgb = image.CvtColor(code);
        var bytes = new byte[rgb.Rows * rgb.Cols * 3];
        // CvtColor allocates a fresh, hence continuous, Mat.
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        using var scope = NewDisposeScope();
        // Explicit, disposed scalars: an implicit one is freed by the finalizer, possibly while div still reads it.
        using Scalar byteRange = 255f.ToScalar();
        Tensor hwc = tensor(bytes, [rgb.Rows, rgb.Cols, 3]);
        Tensor nchw = hwc.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).div(byteRange).contiguous();
        return scope.MoveToOuter(device is null ? nchw : nchw.to(device));
    }

    /// <summary>A 1x3xHxW RGB tensor in [0, 1] as an 8-bit BGR image, for the classical detectors.</summary>
    public static Mat ToBgr(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
            throw new ArgumentException($"Expected a 1x3xHxW RGB tensor, got [{string.Join(", ", image.shape)}].", nameof(image));
        int height = (int)image.shape[2], width = (int)image.shape[3];
        byte[] bytes;
        using (var scope = NewDisposeScope())
        {
            using Scalar zero = 0f.ToScalar(), byteRange = 255f.ToScalar();
            Tensor hwc = image.detach()[0].permute(1, 2, 0).mul(byteRange).round().clamp(zero, byteRange).to_type(ScalarType.Byte).contiguous().cpu();
            bytes = hwc.data<byte>().ToArray();
        }
        using var rgb = Mat.FromPixelData(height, width, MatType.CV_8UC3, bytes);
        return rgb.CvtColor(ColorConversionCodes.RGB2BGR);
    }
}
