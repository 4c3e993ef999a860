using OpenCvSharp;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Keeps the last few videos open so reading frames in order does not reopen (and re-seek) the file per frame.
/// Thread-safe: one lock around each read, since a VideoCapture has one read position.
/// </summary>
internal static class VideoCaptureCache
{
    private const int Capacity = 2;
    private static readonly LinkedList<(string Path, VideoCapture Capture)> Open = new();
    private static readonly Lock Gate = new();

    public static Mat ReadFrame(string videoPath, int frameIndex)
    {
        lock (Gate)
        {
            var capture = Get(videoPath);
            // Seeking can land on a nearby key frame in some codecs; reading on from the current position is exact.
            if ((int)capture.Get(VideoCaptureProperties.PosFrames) != frameIndex) capture.Set(VideoCaptureProperties.PosFrames, frameIndex);
            var frame = new Mat();
            if (!capture.Read(frame) || frame.Empty())
            {
                frame.Dispose();
                throw new DatasetException(videoPath, $"frame {frameIndex} could not be decoded (the video reports {capture.FrameCount} frames)");
            }
            return frame;
        }
    }

    private static VideoCapture Get(string videoPath)
    {
        for (var node = Open.First; node is not null; node = node.Next)
        {
            if (node.Value.Path != videoPath) continue;
            Open.Remove(node);
            Open.AddFirst(node);
            return node.Value.Capture;
        }
        var capture = VideoOpener.Open(videoPath);
        Open.AddFirst((videoPath, capture));
        if (Open.Count > Capacity)
        {
            Open.Last!.Value.Capture.Dispose();
            Open.RemoveLast();
        }
        return capture;
    }
}
