using IMatching.Geometry.Linear;
using OpenCvSharp;

namespace IMatching.Learning.Pretraining;

/// <summary>Two views of one image with exact geometry: B shows A warped by <see cref="BFromA"/> (pixel centres at integers); owns both images.</summary>
public sealed record HomographyPair(Mat ImageA, Mat ImageB, Mat3 BFromA) : IDisposable
{
    public void Dispose()
    {
        ImageA.Dispose();
        ImageB.Dispose();
    }
}
