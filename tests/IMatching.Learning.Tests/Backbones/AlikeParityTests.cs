using IMatching.Learning.Matching;
using IMatching.Learning.Backbones.Alike;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>The port against the reference PyTorch outputs of all four published networks.</summary>
public class AlikeParityTests(ITestOutputHelper output)
{
    private const double MapTolerance = 1e-4;
    private const double KeypointTolerancePx = 1e-3;

    public static TheoryData<AlikeVariant> Variants => [AlikeVariant.Tiny, AlikeVariant.Small, AlikeVariant.Normal, AlikeVariant.Large];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Dense_maps_match_reference(AlikeVariant variant)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using AlikeNetwork network = AlikeNetwork.Load(AlikeReference.WeightsPath(variant), variant);
        AlikeReference.Net expected = AlikeReference.For(variant);

        using AlikeDenseMaps maps = network.ExtractDenseMap(ImageTensor.Load(AlikeReference.ImagePath));
        Assert.Equal([1L, 1, 240, 320], maps.Scores.shape);
        Assert.Equal([1L, network.Config.Dim, 240, 320], maps.Descriptors.shape);

        double meanError = Math.Abs(maps.Scores.mean().item<float>() - expected.ScoreMapMean);
        double maxError = Math.Abs(maps.Scores.max().item<float>() - expected.ScoreMapMax);
        double scoreError = 0, descriptorError = 0;
        foreach (AlikeReference.Sample sample in expected.Samples)
        {
            scoreError = Math.Max(scoreError, Math.Abs(maps.Scores[0, 0, sample.Y, sample.X].item<float>() - sample.Score));
            float[] descriptor = maps.Descriptors[0, .., sample.Y, sample.X].data<float>().ToArray();
            Assert.Equal(sample.Descriptor.Length, descriptor.Length);
            descriptorError = Math.Max(descriptorError, descriptor.Zip(sample.Descriptor, (a, b) => Math.Abs(a - b)).Max());
        }
        output.WriteLine($"{variant}: |d mean| {meanError:E2}, |d max| {maxError:E2}, samples: score {scoreError:E2}, descriptor {descriptorError:E2}");

        Assert.InRange(meanError, 0, MapTolerance);
        Assert.InRange(maxError, 0, MapTolerance);
        Assert.InRange(scoreError, 0, MapTolerance);
        Assert.InRange(descriptorError, 0, MapTolerance);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Dkd_keypoints_match_reference(AlikeVariant variant)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using AlikeNetwork network = AlikeNetwork.Load(AlikeReference.WeightsPath(variant), variant);
        AlikeReference.Keypoints expected = AlikeReference.For(variant).Keypoints;

        var options = new DkdOptions { Radius = 2, ScoreThreshold = 0.2f, TopK = -1, SubPixel = true };
        AlikeKeypoints keypoints = network.Detect(ImageTensor.Load(AlikeReference.ImagePath), options).Single();
        float[] positions = keypoints.Positions.data<float>().ToArray();
        float[] scores = keypoints.Scores.data<float>().ToArray();

        int compared = Math.Min(expected.First50.Length, scores.Length);
        double positionError = 0, scoreError = 0;
        for (int i = 0; i < compared; i++)
        {
            positionError = Math.Max(positionError, Math.Max(Math.Abs(positions[2 * i] - expected.First50[i][0]), Math.Abs(positions[2 * i + 1] - expected.First50[i][1])));
            scoreError = Math.Max(scoreError, Math.Abs(scores[i] - expected.First50[i][2]));
        }
        output.WriteLine($"{variant}: count {scores.Length} (reference {expected.Count}), first {compared}: |d xy| {positionError:E2} px, |d score| {scoreError:E2}");

        Assert.Equal(expected.Count, (int)keypoints.Count);
        Assert.Equal([keypoints.Count, network.Config.Dim], keypoints.Descriptors.shape);
        Assert.InRange(positionError, 0, KeypointTolerancePx);
        Assert.InRange(scoreError, 0, KeypointTolerancePx);
    }
}
