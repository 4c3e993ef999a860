using IMatching.Geometry.Linear;
using IMatching.Vision.Features;
using OpenCvSharp;

namespace IMatching.Vision.Matching;

/// <summary>The pipeline SIFT and ORB share: grey, detect and describe both images, match descriptors, report.</summary>
internal static class DescriptorPairMatching
{
    /// <param name="createFeature2D">Called once per image: OpenCV's feature objects are not safe to share between threads.</param>
    public static Correspondences Match(Func<Feature2D> createFeature2D, NormTypes norm, DescriptorMatcherOptions options,
        Mat imageA, Mat imageB, int frameA, int frameB)
    {
        using LocalFeatures a = Extract(createFeature2D, imageA);
        using LocalFeatures b = Extract(createFeature2D, imageB);
        DescriptorMatch[] matches = NearestNeighbourMatching.Match(a.Descriptors, b.Descriptors, norm, options);
        return Correspondences.Create(frameA, frameB,
            matches.Select(m => ToVec2(a.Keypoints[m.IndexA])).ToArray(),
            matches.Select(m => ToVec2(b.Keypoints[m.IndexB])).ToArray(),
            matches.Select(m => 1 - m.DistanceRatio).ToArray(),
            matches.Select(m => (long)m.IndexA).ToArray());
    }

    private static LocalFeatures Extract(Func<Feature2D> createFeature2D, Mat image)
    {
        using Mat grey = GreyImage.From(image);
        using Feature2D feature2D = createFeature2D();
        return LocalFeatures.Extract(feature2D, grey);
    }

    private static Vec2 ToVec2(KeyPoint k) => new(k.Pt.X, k.Pt.Y);
}
