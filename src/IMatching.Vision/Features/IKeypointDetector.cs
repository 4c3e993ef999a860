using OpenCvSharp;

namespace IMatching.Vision.Features;

/// <summary>Finds query points in an 8-bit grey, BGR or BGRA image.</summary>
public interface IKeypointDetector
{
    string Name { get; }
    DetectedKeypoints Detect(Mat image);
}
