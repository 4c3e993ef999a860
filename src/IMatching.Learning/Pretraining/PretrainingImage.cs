using IMatching.Vision.Datasets;
using OpenCvSharp;

namespace IMatching.Learning.Pretraining;

/// <summary>A frame as pretraining sees it: decoded, and resized when the run asks for one image size.</summary>
internal static class PretrainingImage
{
    public static Mat Load(Frame frame, (int Width, int Height)? size)
    {
        Mat image = FrameImageLoader.Load(frame);
        if (size is not { } target || (image.Width == target.Width && image.Height == target.Height)) return image;
        using (image)
        {
            // Area averaging when shrinking avoids aliasing that the network would otherwise learn as texture.
            var interpolation = target.Width < image.Width ? InterpolationFlags.Area : InterpolationFlags.Linear;
            return image.Resize(new Size(target.Width, target.Height), 0, 0, interpolation);
        }
    }
}
