using IMatching.Geometry;
using OpenCvSharp;

namespace IMatching.Vision.Datasets;

/// <summary>
/// The one way to read a frame's pixels: image files and video frames (<see cref="VideoFramePath"/>) alike.
/// Returns a new Mat (BGR for <see cref="ImreadModes.Color"/>, one channel for grayscale) the caller disposes.
/// </summary>
public static class FrameImageLoader
{
    /// <summary>
    /// A frame's image, which must have the size its camera's intrinsics describe: a frame of another size would be
    /// mapped and scored with the wrong intrinsics without a word. Checked here, lazily, so opening a sequence
    /// never decodes every image.
    /// </summary>
    public static Mat Load(Frame frame, ImreadModes mode = ImreadModes.Color)
    {
        var image = Load(frame.ImagePath, mode);
        var (width, height) = (image.Width, image.Height);
        if (width == frame.Camera.Width && height == frame.Camera.Height) return image;
        image.Dispose();
        throw new DatasetException(frame.ImagePath,
            $"is {width}x{height}, but the sequence's intrinsics describe {frame.Camera.Width}x{frame.Camera.Height} images (every frame of a sequence must have that size)");
    }

    public static Mat Load(string imagePath, ImreadModes mode = ImreadModes.Color)
    {
        if (VideoFramePath.TryParse(imagePath, out string videoPath, out int frameIndex))
            return Convert(VideoCaptureCache.ReadFrame(videoPath, frameIndex), mode);
        InputPaths.RequireFile(imagePath, "image");
        var image = Cv2.ImRead(imagePath, mode);
        if (!image.Empty()) return image;
        image.Dispose();
        throw new DatasetException(imagePath, "not a readable image (corrupt or unsupported format)");
    }

    /// <summary>Video frames decode as BGR; give them the channels an image file read with <paramref name="mode"/> would have.</summary>
    private static Mat Convert(Mat bgr, ImreadModes mode)
    {
        if (mode != ImreadModes.Grayscale) return bgr;
        using (bgr)
        {
            var grey = new Mat();
            Cv2.CvtColor(bgr, grey, ColorConversionCodes.BGR2GRAY);
            return grey;
        }
    }
}
