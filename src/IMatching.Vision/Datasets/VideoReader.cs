using OpenCvSharp;

namespace IMatching.Vision.Datasets;

/// <summary>
/// A video file with an <see cref="IntrinsicsFile"/> named <c>FILE.intrinsics.txt</c> or <c>intrinsics.txt</c> beside it.
/// Frames are not decoded here: each frame's image path is <see cref="VideoFramePath"/> (<c>FILE#INDEX</c>) and
/// <see cref="FrameImageLoader"/> decodes it on demand. Timestamps come from the frame rate (the index if unknown).
/// </summary>
public static class VideoReader
{
    public static Sequence Read(string videoPath)
    {
        // The video first: a missing video must be reported as such, not as its missing intrinsics.
        using var capture = VideoOpener.Open(videoPath);
        string intrinsics = new[] { videoPath + ".intrinsics.txt", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(videoPath))!, "intrinsics.txt") }
            .FirstOrDefault(File.Exists)
            ?? throw new DatasetException(videoPath, $"has no {Path.GetFileName(videoPath)}.intrinsics.txt or intrinsics.txt beside it");
        int count = CountFrames(capture);
        if (count == 0) throw new DatasetException(videoPath, "holds no frames");
        var camera = IntrinsicsFile.Read(intrinsics, capture.FrameWidth, capture.FrameHeight);
        double period = capture.Fps > 0 ? 1 / capture.Fps : 1;
        return new Sequence(Path.GetFileName(videoPath), [.. Enumerable.Range(0, count).Select(i => new Frame(i, i * period, VideoFramePath.Format(videoPath, i), camera))]);
    }

    /// <summary>Containers may report no frame count (streams) or an estimate; grabbing every frame is exact but costs a demux pass.</summary>
    private static int CountFrames(VideoCapture capture)
    {
        int count = 0;
        while (capture.Grab()) count++;
        return count;
    }
}
