using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using OpenCvSharp;

namespace IMatching.Learning.Tests.Matching;

/// <summary>Weights, images and geometry the matching tests share.</summary>
internal static class MatchingFixtures
{
    public static string AlikeWeights(AlikeVariant variant) =>
        Path.Combine(RepoPaths.Shared, "weights", "alike", $"alike-{"tsnl"[(int)variant]}.pth");

    public static string TumImage => Path.Combine(RepoPaths.Shared, "fixtures", "alike", "tum0_320x240.png");
    public static string CapsRandomWeights => Path.Combine(RepoPaths.Shared, "fixtures", "caps", "caps_resnet18_random.pth");
    public static string Graf => Path.Combine(RepoPaths.Shared, "data", "graf");

    public static Mat Read(string path)
    {
        Mat image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty()) throw new FileNotFoundException("Cannot read image.", path);
        return image;
    }

    /// <summary>The image translated by (dx, dy) with bilinear interpolation: pixel p of the source lands at p + (dx, dy).</summary>
    public static Mat Shifted(Mat image, double dx, double dy)
    {
        using var transform = Mat.FromPixelData(2, 3, MatType.CV_64FC1, new double[] { 1, 0, dx, 0, 1, dy });
        var shifted = new Mat();
        Cv2.WarpAffine(image, shifted, transform, image.Size(), InterpolationFlags.Linear, BorderTypes.Reflect101);
        return shifted;
    }

    public static ExpectationMatcher AlikeExpectation(AlikeVariant variant, int queries, ExpectationHeadOptions? options = null) =>
        new($"alike+exp", new AlikeBackbone(AlikeNetwork.Load(AlikeWeights(variant), variant)), new AlikeQuerySource(queries),
            options ?? global::IMatching.Learning.Models.LearnedModels.AlikeExpectation);
}
