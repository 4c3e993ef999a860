using IMatching.Learning.Matching;
using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>DKD must let a loss on keypoint positions train the backbone (what the bilevel trainer relies on).</summary>
public class AlikeGradientTests
{
    [Fact]
    public void Sub_pixel_positions_carry_gradients_to_every_convolution()
    {
        using var scope = NewDisposeScope();
        using AlikeNetwork network = AlikeNetwork.Load(AlikeReference.WeightsPath(AlikeVariant.Tiny), AlikeVariant.Tiny);

        AlikeKeypoints keypoints = network.Detect(ImageTensor.Load(AlikeReference.ImagePath)).Single();
        Assert.True(keypoints.Count > 0);
        keypoints.Positions.sum().backward();

        var convolutions = network.named_parameters().Where(p => p.parameter.dim() == 4).ToList();
        Assert.NotEmpty(convolutions);
        foreach (var (name, weight) in convolutions)
        {
            Assert.True(weight.grad is not null, $"{name} has no gradient");
            Assert.True(weight.grad!.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }
}
