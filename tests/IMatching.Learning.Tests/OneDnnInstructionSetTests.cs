using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Tests.Matching;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests;

/// <summary>
/// The first float32 backward pass of a convolution shape the process has not seen gives the float64 gradient: with
/// oneDNN's AVX-512 kernels it did not (ALIKE's first layers off by a tenth of their scale, or NaN), see
/// <see cref="OneDnnInstructionSet"/>.
/// </summary>
public sealed class OneDnnInstructionSetTests
{
    [Theory]
    [InlineData(1, 40, 72)]
    [InlineData(2, 56, 88)]
    public void The_first_backward_pass_of_a_new_shape_agrees_with_float64(int frames, int height, int width)
    {
        using var scope = NewDisposeScope();
        using var network = AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny);
        network.train(false);
        using var generator = new Generator(11);
        Tensor images = rand([frames, 3, height, width], dtype: float64, generator: generator);
        Tensor weights = randn([frames, network.Config.Dim, height, width], dtype: float64, generator: generator);

        var first = Gradients(network, images.to(float32), weights.to(float32));
        network.to(float64);
        var reference = Gradients(network, images, weights);
        for (int i = 0; i < reference.Count; i++)
        {
            double scale = reference[i].abs().max().item<double>();
            double difference = (first[i].to(float64) - reference[i]).abs().max().item<double>();
            Assert.True(difference <= 1e-4 * scale, $"parameter {i}: the first float32 pass differs from float64 by {difference} (largest {scale})");
        }
    }

    private static List<Tensor> Gradients(AlikeNetwork network, Tensor images, Tensor weights)
    {
        foreach (var p in network.parameters()) p.grad = null;
        var maps = network.ExtractDenseMap(images);
        (maps.Descriptors * weights).sum().Plus(maps.Scores.sum()).backward();
        return [.. network.parameters().Select(p => p.grad!.clone())];
    }
}
