using OpenCvSharp;

namespace IMatching.Vision.Features;

/// <summary>Turns the images callers hold (8-bit grey, BGR or BGRA) into the 8-bit grey that detectors expect.</summary>
public static class GreyImage
{
    /// <summary>A new 8-bit single-channel image; the caller disposes it.</summary>
    public static Mat From(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("The image is empty.", nameof(image));
        if (image.Depth() != MatType.CV_8U)
            throw new ArgumentException($"Expected an 8-bit image, got {image.Type()}.", nameof(image));
        var grey = new Mat();
        switch (image.Channels())
        {
            case 1: image.CopyTo(grey); break;
            case 3: Cv2.CvtColor(image, grey, ColorConversionCodes.BGR2GRAY); break;
            case 4: Cv2.CvtColor(image, grey, ColorConversionCodes.BGRA2GRAY); break;
            default:
                grey.Dispose();
                throw new ArgumentException($"Expected 1 (grey), 3 (BGR) or 4 (BGRA) channels, got {image.Channels()}.", nameof(image));
        }
        return grey;
    }
}
