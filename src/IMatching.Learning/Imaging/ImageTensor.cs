using System.Runtime.InteropServices;
using IMatching.Vision.Datasets;
using OpenCvSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Imaging;

/// <summary>Images as the networks take them: RGB float32 in [0, 1], 1x3xHxW (each backbone normalises further itself).</summary>
public static class ImageTensor
{
    /// <summary>Reads an image file (or a video frame path) with a clear error naming the file when it cannot.</summary>
    public static Tensor Load(string path, Device? device = null)
    {
        using var bgr = FrameImageLoader.Load(path);
        return FromBgr(bgr, device);
    }

    /// <summary>An 8-bit BGR (or grey) OpenCV image as a network input.</summary>
    public static Tensor FromBgr(Mat image, Device? device = null)
    {
        if (image.Empty()) throw new ArgumentException("Image is empty.");
        if (image.Depth() != MatType.CV_8U) throw new ArgumentException($"Image has depth {image.Depth()}; 8-bit images are expected.");
        using var rgb = new Mat();
        Cv2.CvtColor(image, rgb, image.Channels() == 1 ? ColorConversionCodes.GRAY2RGB : ColorConversionCodes.BGR2RGB);
        int rows = rgb.Rows, cols = rgb.Cols;
        var bytes = new byte[rows * cols * 3];
        // A freshly converted Mat is continuous, so its rows copy in one go.
        Marshal.Copy(rgb.Data, bytes, 0, bytes.Length);
        using var scope = NewDisposeScope();
        var hwc = tensor(bytes, [rows, cols, 3]);
        var nchw = hwc.permute(2, 0, 1).unsqueeze(0).to_type(ScalarType.Float32).div_(255f).contiguous();
        return (device is null ? nchw : nchw.to(device)).MoveToOuterDisposeScope();
    }
}
