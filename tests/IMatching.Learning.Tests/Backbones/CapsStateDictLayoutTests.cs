using IMatching.Learning.Backbones.Caps;

namespace IMatching.Learning.Tests.Backbones;

public class CapsStateDictLayoutTests
{
    private static readonly string KeysFile = Path.Combine(RepoPaths.Shared, "fixtures", "caps", "caps_resnet50_state_dict_keys.txt");

    [Fact]
    public void ResNet50_state_dict_names_shapes_and_order_equal_the_PyTorch_listing()
    {
        using var network = new CapsNetwork(CapsEncoder.ResNet50);
        string[] expected = File.ReadAllLines(KeysFile);

        string[] actual = StateDictOrder.Entries(network)
            .Select(e => $"{e.Name} {string.Join("x", e.Value.shape)}")
            .ToArray();

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(CapsEncoder.ResNet18)]
    [InlineData(CapsEncoder.ResNet34)]
    [InlineData(CapsEncoder.ResNet50)]
    public void TorchSharp_state_dict_holds_the_same_entries_as_the_PyTorch_order(CapsEncoder encoder)
    {
        // Loading matches against TorchSharp's state_dict(), saving writes StateDictOrder: both must agree.
        using var network = new CapsNetwork(encoder);
        var ordered = StateDictOrder.Entries(network).Select(e => e.Name).Order(StringComparer.Ordinal);
        var torchSharp = network.state_dict().Keys.Order(StringComparer.Ordinal);
        Assert.Equal(ordered, torchSharp);
    }
}
