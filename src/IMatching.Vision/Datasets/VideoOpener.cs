using IMatching.Geometry;
using OpenCvSharp;

namespace IMatching.Vision.Datasets;

/// <summary>Opens a video with OpenCV, turning its silent failures into errors that name the file.</summary>
internal static class VideoOpener
{
    public static VideoCapture Open(string videoPath)
    {
        InputPaths.RequireFile(videoPath, "video");
        var capture = new VideoCapture(videoPath);
        if (capture.IsOpened()) return capture;
        capture.Dispose();
        throw new DatasetException(videoPath, "OpenCV cannot open this video (corrupt, or a codec this build lacks)");
    }
}
