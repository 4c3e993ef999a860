using TorchSharp;
using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// Recomputing a clip's backbone frame by frame in the backward pass (<see cref="AlikeBackbone"/> with stored
/// batch-norm statistics) gives the batched pass's maps and weight gradients.
/// </summary>
public sealed class FrameByFrameRecomputeTests
{
    [Fact]
    public void Maps_and_weight_gradients_equal_the_batched_pass()
    {
        using var scope = NewDisposeScope();
        using var network = AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny);
        network.train(false);
        var backbone = new AlikeBackbone(network);
        using var generator = new Generator(3);
        Tensor images = rand([3, 3, 48, 80], dtype: float64, generator: generator);
        // A loss on every output, weighted per pixel so each frame's gradient differs.
        Tensor fineWeights = randn([3, network.Config.Dim, 48, 80], dtype: float64, generator: generator),
            coarseWeights = randn([3, network.Config.Dim, 6, 10], dtype: float64, generator: generator),
            scoreWeights = randn([3, 1, 48, 80], dtype: float64, generator: generator);

        // Float32, recomputed first: the first backward pass of a frame-sized convolution is where oneDNN's AVX-512
        // kernels went wrong (OneDnnInstructionSet); float64 is the reference.
        var (recomputedMaps, recomputed) = Gradients(backbone, images.to(float32), fineWeights.to(float32), coarseWeights.to(float32), scoreWeights.to(float32), recompute: true);
        var (batchedMaps, batched) = Gradients(backbone, images.to(float32), fineWeights.to(float32), coarseWeights.to(float32), scoreWeights.to(float32), recompute: false);
        network.to(float64);
        var (referenceMaps, reference) = Gradients(backbone, images, fineWeights, coarseWeights, scoreWeights, recompute: true);
        foreach (var (a, b) in recomputedMaps.Zip(batchedMaps))
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), "the recomputed maps differ");
        foreach (var (a, b) in recomputedMaps.Zip(referenceMaps))
            Assert.True(a.to(float64).allclose(b, rtol: 1e-4, atol: 1e-5), "the float64 maps differ");
        Assert.Equal(batched.Count, recomputed.Count);
        for (int i = 0; i < batched.Count; i++)
        {
            double scale = reference[i].abs().max().item<double>();
            Assert.True(scale > 0, $"parameter {i} got no gradient");
            foreach (var (name, gradient) in new[] { ("recomputed", recomputed[i]), ("batched", batched[i]) })
            {
                double difference = (gradient.to(float64) - reference[i]).abs().max().item<double>();
                Assert.True(difference <= 1e-4 * scale, $"parameter {i}, {name}: differs from float64 by {difference} (largest {scale})");
            }
        }
    }

    [Fact]
    public void Only_a_graph_over_several_frames_in_inference_mode_is_recomputed()
    {
        using var network = AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny);
        using var images = zeros(2, 3, 32, 32);
        using var single = zeros(1, 3, 32, 32);
        network.train(false);
        Assert.True(FrameByFrameRecompute.ShouldApply(network, images));
        Assert.False(FrameByFrameRecompute.ShouldApply(network, single));
        using (no_grad()) Assert.False(FrameByFrameRecompute.ShouldApply(network, images));
        // Training-mode batch norm mixes the frames' statistics: recomputing one frame at a time would change them.
        network.train(true);
        Assert.False(FrameByFrameRecompute.ShouldApply(network, images));
    }

    private static (Tensor[] Maps, List<Tensor> Gradients) Gradients(AlikeBackbone backbone, Tensor images, Tensor fineWeights, Tensor coarseWeights, Tensor scoreWeights, bool recompute)
    {
        foreach (var p in backbone.Network.parameters()) p.grad = null;
        DenseFeatures features;
        if (recompute)
        {
            features = backbone.Extract(images);
        }
        else
        {
            // The batched pass, as Extract takes it when recomputing does not apply.
            var maps = backbone.Network.ExtractDenseMap(images);
            Tensor coarse = nn.functional.normalize(nn.functional.avg_pool2d(maps.Descriptors, 8, stride: 8), p: 2, dim: 1);
            features = new DenseFeatures(new FeatureLevel(coarse, 8, 8, 3.5, 3.5), new FeatureLevel(maps.Descriptors, 1, 1, 0, 0), maps.Scores);
        }
        Tensor loss = (features.Fine.Map * fineWeights).sum().Plus((features.Coarse.Map * coarseWeights).sum()).Plus((features.Scores! * scoreWeights).sum());
        loss.backward();
        return ([features.Fine.Map.detach(), features.Coarse.Map.detach(), features.Scores!.detach()],
            [.. backbone.Network.parameters().Select(p => p.grad!.clone())]);
    }
}
