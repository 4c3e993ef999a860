using IMatching.Learning.Backbones.Caps;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

public class CapsSkipConnectionTests
{
    [Fact]
    public void Skip_is_zero_padded_to_the_upsampled_size_and_follows_it_in_channel_order()
    {
        // As CAPS' skipconnect: odd differences put the extra row/column at the bottom/right.
        using var scope = NewDisposeScope();
        Tensor skip = ones(1, 1, 2, 3);
        Tensor upsampled = full(1, 2, 3, 5, 7f);

        Tensor joined = SkipConnection.Join(skip, upsampled);

        Assert.Equal([1L, 3, 3, 5], joined.shape);
        Assert.True(joined[0, ..2].eq(7f).all().item<bool>());
        float[,] expectedSkip =
        {
            { 0, 1, 1, 1, 0 },
            { 0, 1, 1, 1, 0 },
            { 0, 0, 0, 0, 0 },
        };
        Assert.True(joined[0, 2].eq(tensor(expectedSkip)).all().item<bool>());
    }

    [Fact]
    public void Input_not_a_multiple_of_16_gives_maps_padded_like_the_original()
    {
        // 100x130 -> layer1 25x33, layer2 13x17, layer3 7x9; skips are padded to the upsampled 14x18 and 28x36.
        using var scope = NewDisposeScope();
        using var network = new CapsNetwork(CapsEncoder.ResNet18);
        network.eval();

        CapsFeatureMaps maps;
        using (no_grad())
            maps = network.call(rand(1, 3, 100, 130));

        Assert.Equal([1L, 128, 7, 9], maps.Coarse.shape);
        Assert.Equal([1L, 128, 28, 36], maps.Fine.shape);
    }
}
