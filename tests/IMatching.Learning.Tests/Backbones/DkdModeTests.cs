using IMatching.Learning.Matching;
using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>The DKD settings the reference fixture does not cover: pixel-only detection and top-k.</summary>
public class DkdModeTests
{
    [Fact]
    public void Without_sub_pixel_keypoints_are_the_same_pixels_with_unit_descriptors()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using AlikeNetwork network = AlikeNetwork.Load(AlikeReference.WeightsPath(AlikeVariant.Tiny), AlikeVariant.Tiny);

        AlikeKeypoints keypoints = network.Detect(ImageTensor.Load(AlikeReference.ImagePath), new DkdOptions { SubPixel = false }).Single();

        Assert.Equal(AlikeReference.For(AlikeVariant.Tiny).Keypoints.Count, (int)keypoints.Count);
        Assert.Null(keypoints.Dispersity);
        Assert.True((keypoints.Positions - keypoints.Positions.round()).abs().max().item<float>() < 1e-3f);
        Assert.True((keypoints.Descriptors.norm(1) - 1).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Top_k_returns_exactly_k_keypoints_best_first()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using AlikeNetwork network = AlikeNetwork.Load(AlikeReference.WeightsPath(AlikeVariant.Tiny), AlikeVariant.Tiny);

        AlikeKeypoints keypoints = network.Detect(ImageTensor.Load(AlikeReference.ImagePath), new DkdOptions { TopK = 100, SubPixel = false }).Single();

        Assert.Equal(100, keypoints.Count);
        float[] scores = keypoints.Scores.data<float>().ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    /// <summary>Query selection takes positions alone: they are Detect's to the bit, with and without sub-pixel refinement, in either mode.</summary>
    [Theory]
    [InlineData(true, 500)]
    [InlineData(false, 500)]
    [InlineData(true, -1)]
    public void Positions_alone_are_the_detected_positions(bool subPixel, int topK)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using AlikeNetwork network = AlikeNetwork.Load(AlikeReference.WeightsPath(AlikeVariant.Tiny), AlikeVariant.Tiny);
        using AlikeDenseMaps maps = network.ExtractDenseMap(ImageTensor.Load(AlikeReference.ImagePath));
        var options = new DkdOptions { SubPixel = subPixel, TopK = topK };

        Tensor detected = DifferentiableKeypointDetector.Detect(maps.Scores, maps.Descriptors, options).Single().Positions;
        Tensor positions = DifferentiableKeypointDetector.Positions(maps.Scores, options).Single();

        Assert.True(detected.shape[0] > 100);
        Assert.Equal(detected.shape, positions.shape);
        Assert.True(detected.eq(positions).all().item<bool>());
    }
}
