using OpenCvSharp;

namespace IMatching.Vision.Matching;

/// <summary>Finds correspondences between two images (8-bit grey, BGR or BGRA) of a clip.</summary>
public interface IPairMatcher
{
    string Name { get; }

    /// <summary><paramref name="frameA"/> and <paramref name="frameB"/> only label the result.</summary>
    Correspondences Match(Mat imageA, Mat imageB, int frameA, int frameB);
}
