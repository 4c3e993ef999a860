using System.Collections;
using IMatching.Geometry;
using IMatching.Learning.Backbones.Caps;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

public sealed class CapsCheckpointTests : IDisposable
{
    private static readonly string RandomResNet18 = Path.Combine(RepoPaths.Shared, "fixtures", "caps", "caps_resnet18_random.pth");

    private readonly string _dir = Directory.CreateTempSubdirectory("caps-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Renamed_key_is_refused_naming_both_the_missing_and_the_unexpected_key()
    {
        string path = WriteAltered(("net.firstconv.weight", "net.first_conv.weight", null));

        var error = Assert.Throws<UserInputException>(() => CapsNetwork.Load(path, CapsEncoder.ResNet18));

        Assert.Contains("Missing keys (1): net.firstconv.weight.", error.Message);
        Assert.Contains("Unexpected keys (1): net.first_conv.weight.", error.Message);
    }

    [Fact]
    public void Wrong_shape_is_refused_with_both_shapes()
    {
        string path = WriteAltered(("net.conv_fine.conv.weight", "net.conv_fine.conv.weight", [64, 256, 1, 1]));

        var error = Assert.Throws<UserInputException>(() => CapsNetwork.Load(path, CapsEncoder.ResNet18));

        Assert.Contains("net.conv_fine.conv.weight (file 64x256x1x1, network 128x256x1x1)", error.Message);
    }

    [Fact]
    public void Checkpoint_of_another_encoder_is_refused()
    {
        Assert.Throws<UserInputException>(() => CapsNetwork.Load(RandomResNet18, CapsEncoder.ResNet34));
    }

    [Fact]
    public void Saved_checkpoint_has_the_PyTorch_layout_and_loads_back_identically()
    {
        string path = Path.Combine(_dir, "saved.pth");
        using var original = CapsNetwork.Load(RandomResNet18, CapsEncoder.ResNet18);
        original.Save(path, step: 1234);

        using (var scope = NewDisposeScope())
        {
            Hashtable top = PyTorchUnpickler.UnpickleStateDict(path);
            Assert.Equal(1234L, Convert.ToInt64(top["step"]));
            var stateDict = Assert.IsAssignableFrom<IDictionary>(top["state_dict"]);
            Assert.Equal(StateDictOrder.Entries(original).Select(e => e.Name).Order(), stateDict.Keys.Cast<string>().Order());
        }

        using var reloaded = CapsNetwork.Load(path, CapsEncoder.ResNet18);
        Dictionary<string, Tensor> expected = original.state_dict();
        foreach (var (name, value) in reloaded.state_dict())
        {
            Assert.Equal(expected[name].dtype, value.dtype);
            Assert.Equal(expected[name].shape, value.shape);
            Assert.True(expected[name].eq(value).all().item<bool>(), $"{name} changed in the round trip.");
        }
    }

    /// <summary>Rewrites the random ResNet-18 checkpoint with one entry renamed and/or given another shape.</summary>
    private string WriteAltered((string From, string To, long[]? Shape) change)
    {
        string path = Path.Combine(_dir, "altered.pth");
        using var network = new CapsNetwork(CapsEncoder.ResNet18);
        using var scope = NewDisposeScope();
        var entries = StateDictOrder.Entries(network)
            .Select(e => e.Name == change.From ? (change.To, change.Shape is null ? e.Value : zeros(change.Shape)) : e);
        CapsCheckpoint.Write(path, 0, entries);
        return path;
    }
}
