using System.Globalization;

namespace IMatching.Vision.Datasets;

/// <summary>
/// How a video frame is named in <see cref="Frame.ImagePath"/>: <c>FILE#INDEX</c> (0-based). A path naming an
/// existing file is always an image, so image files whose names contain <c>#</c> still load.
/// </summary>
public static class VideoFramePath
{
    public static string Format(string videoPath, int frameIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{videoPath}#{frameIndex}");

    public static bool TryParse(string imagePath, out string videoPath, out int frameIndex)
    {
        (videoPath, frameIndex) = ("", -1);
        int hash = imagePath.LastIndexOf('#');
        if (hash <= 0 || File.Exists(imagePath)) return false;
        if (!int.TryParse(imagePath.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out frameIndex)) return false;
        videoPath = imagePath[..hash];
        return true;
    }
}
