using IMatching.Vision.Matching;
using IMatching.Vision.Tests.TestSupport;
using OpenCvSharp;

namespace IMatching.Vision.Tests.Matching;

/// <summary>What every descriptor matcher promises besides accuracy: ordering, confidences, inputs.</summary>
public sealed class PairMatcherContractTests
{
    [Theory]
    [InlineData("sift")]
    [InlineData("orb")]
    public void Output_is_identical_across_runs_and_ordered_by_origin(string matcherName)
    {
        using Mat imageA = SyntheticImages.Textured();
        using Mat imageB = SyntheticImages.Translated(imageA, 5, 9);
        IPairMatcher matcher = Matchers.ByName(matcherName);

        Correspondences first = matcher.Match(imageA, imageB, 0, 1);
        Correspondences second = matcher.Match(imageA, imageB, 0, 1);

        Assert.Equal(first.PointsA, second.PointsA);
        Assert.Equal(first.PointsB, second.PointsB);
        Assert.Equal(first.Confidence, second.Confidence);
        Assert.Equal(first.OriginIds, second.OriginIds);
        Assert.True(first.OriginIds.Zip(first.OriginIds.Skip(1)).All(p => p.First < p.Second), "origin ids must be strictly increasing");
        Assert.All(first.Confidence, c => Assert.InRange(c, 0.2, 1.0)); // ratio < 0.8 means confidence > 0.2
        Assert.Equal(matcherName, matcher.Name);
    }

    [Theory]
    [InlineData("sift")]
    [InlineData("orb")]
    public void Grey_and_colour_inputs_give_the_same_matches(string matcherName)
    {
        using Mat colourA = SyntheticImages.Textured();
        using Mat colourB = SyntheticImages.Translated(colourA, -7, 4);
        using Mat greyA = colourA.CvtColor(ColorConversionCodes.BGR2GRAY);
        using Mat greyB = colourB.CvtColor(ColorConversionCodes.BGR2GRAY);
        IPairMatcher matcher = Matchers.ByName(matcherName);

        Correspondences fromColour = matcher.Match(colourA, colourB, 0, 1);
        Correspondences fromGrey = matcher.Match(greyA, greyB, 0, 1);

        Assert.Equal(fromColour.PointsA, fromGrey.PointsA);
        Assert.Equal(fromColour.PointsB, fromGrey.PointsB);
    }

    [Theory]
    [InlineData("sift")]
    [InlineData("orb")]
    public void A_featureless_image_gives_no_matches(string matcherName)
    {
        using Mat textured = SyntheticImages.Textured();
        using Mat flat = new(480, 640, MatType.CV_8UC3, new Scalar(90, 90, 90));

        Correspondences matches = Matchers.ByName(matcherName).Match(textured, flat, 2, 5);

        Assert.Equal(0, matches.Count);
        Assert.Equal((2, 5), (matches.FrameA, matches.FrameB));
    }

    [Fact]
    public void Unsupported_images_are_rejected_with_the_reason()
    {
        using Mat textured = SyntheticImages.Textured();
        using Mat floats = new(480, 640, MatType.CV_32FC1, Scalar.All(0.5));
        using Mat empty = new();

        Assert.Contains("8-bit", Assert.Throws<ArgumentException>(() => new SiftMatcher().Match(textured, floats, 0, 1)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new OrbMatcher().Match(empty, textured, 0, 1)).Message);
    }

    [Fact]
    public void Options_reject_impossible_settings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DescriptorMatcherOptions(maxFeatures: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DescriptorMatcherOptions(ratio: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DescriptorMatcherOptions(ratio: 1.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DescriptorMatcherOptions(ratio: double.NaN));
        var defaults = new DescriptorMatcherOptions();
        Assert.Equal((4000, 0.8, true), (defaults.MaxFeatures, defaults.Ratio, defaults.MutualCheck));
    }
}
