using IMatching.Learning.Backbones;
using IMatching.Learning.Backbones.Alike;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

public class StateDictLoaderTests
{
    [Fact]
    public void File_of_another_variant_with_a_key_left_out_is_refused_naming_the_keys()
    {
        string path = Path.Combine(Path.GetTempPath(), $"alike-mismatch-{Guid.NewGuid():N}.pth");
        try
        {
            using (var tiny = new AlikeNetwork(AlikeVariant.Tiny))
                tiny.save_py(path, skip: ["conv1.weight"]);

            var error = Assert.Throws<StateDictMismatchException>(() => AlikeNetwork.Load(path, AlikeVariant.Small));

            Assert.Equal(["conv1.weight"], error.Missing);
            Assert.Empty(error.Unexpected);
            // alike-s widens the third stage from 32 to 48 channels.
            Assert.Contains(error.WrongShape, entry => entry.StartsWith("block3.conv1.weight (file [32, 16, 3, 3], network [48, 16, 3, 3])", StringComparison.Ordinal));
            Assert.Contains("conv1.weight", error.Message);
            Assert.Contains("block3.conv1.weight", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Renamed_key_is_refused_as_missing_and_unexpected_and_nothing_is_copied()
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> source = PyTorchStateDict.Read(AlikeReference.WeightsPath(AlikeVariant.Tiny));
        source["convhead3.weight"] = source["convhead2.weight"];
        source.Remove("convhead2.weight");
        using var network = new AlikeNetwork(AlikeVariant.Tiny);
        Tensor before = network.state_dict()["block1.conv1.weight"].clone();

        var error = Assert.Throws<StateDictMismatchException>(() => StateDictLoader.Load(network, source, "renamed"));

        Assert.Equal(["convhead2.weight"], error.Missing);
        Assert.Equal(["convhead3.weight"], error.Unexpected);
        Assert.Empty(error.WrongShape);
        Assert.Contains("missing keys: convhead2.weight", error.Message);
        Assert.Contains("unexpected keys: convhead3.weight", error.Message);
        Assert.True(before.allclose(network.state_dict()["block1.conv1.weight"], rtol: 0, atol: 0));
    }

    [Fact]
    public void Official_file_keys_are_exactly_the_network_state_dict()
    {
        using var scope = NewDisposeScope();
        foreach (AlikeVariant variant in Enum.GetValues<AlikeVariant>())
        {
            Dictionary<string, Tensor> source = PyTorchStateDict.Read(AlikeReference.WeightsPath(variant));
            using var network = new AlikeNetwork(variant);
            Assert.Equal(source.Keys.Order(StringComparer.Ordinal), network.state_dict().Keys.Order(StringComparer.Ordinal));
        }
    }
}
