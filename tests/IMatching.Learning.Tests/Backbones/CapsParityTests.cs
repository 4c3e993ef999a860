using IMatching.Learning.Matching;
using System.Text.Json;
using IMatching.Learning.Backbones.Caps;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>The port against PyTorch's outputs for a seeded random ResNet-18 ResUNet (../shared/fixtures/caps).</summary>
public class CapsParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private static readonly string FixtureDir = Path.Combine(RepoPaths.Shared, "fixtures", "caps");

    [Fact]
    public void ResNet18_checkpoint_reproduces_the_PyTorch_coarse_and_fine_maps()
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureDir, "caps_resnet18_reference.json")));
        JsonElement root = reference.RootElement;

        using var scope = NewDisposeScope();
        using var network = CapsNetwork.Load(Path.Combine(FixtureDir, "caps_resnet18_random.pth"), CapsEncoder.ResNet18);
        Tensor image = ImageTensor.Load(Path.Combine(RepoPaths.Shared, "fixtures", "alike", "tum0_320x240.png"));

        CapsFeatureMaps maps;
        using (no_grad())
            maps = network.call(image);

        AssertMapMatches("coarse", maps.Coarse, root);
        AssertMapMatches("fine", maps.Fine, root);
    }

    private void AssertMapMatches(string name, Tensor map, JsonElement root)
    {
        long[] expectedShape = root.GetProperty($"{name}_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(expectedShape, map.shape);

        double meanDiff = Math.Abs(map.mean().item<float>() - root.GetProperty($"{name}_mean").GetDouble());
        // torch.std is the unbiased estimate, as in the reference.
        double stdDiff = Math.Abs(map.std().item<float>() - root.GetProperty($"{name}_std").GetDouble());

        double sampleDiff = 0;
        int samples = 0;
        foreach (JsonElement sample in root.GetProperty($"{name}_samples").EnumerateArray())
        {
            long x = sample.GetProperty("x").GetInt64(), y = sample.GetProperty("y").GetInt64();
            float[] actual = map[0, TensorIndex.Colon, y, x].data<float>().ToArray();
            float[] expected = sample.GetProperty("feature").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            sampleDiff = Math.Max(sampleDiff, expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max());
            samples++;
        }

        output.WriteLine($"{name}: |mean diff| {meanDiff:E2}, |std diff| {stdDiff:E2}, max |diff| over {samples} sampled vectors {sampleDiff:E2}");
        Assert.True(samples > 0, $"No {name} samples in the reference.");
        Assert.InRange(meanDiff, 0, Tolerance);
        Assert.InRange(stdDiff, 0, Tolerance);
        Assert.InRange(sampleDiff, 0, Tolerance);
    }
}
