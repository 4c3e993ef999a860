using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>The CPU kernel of the keypoint NMS keeps exactly the pixels the tensor formulation (the reference's) keeps.</summary>
public class SimpleNmsTests
{
    /// <summary>Maps with plateaus (scores on a coarse grid of values, so windows hold ties), narrower than a vector and wider, at each radius.</summary>
    [Theory]
    [InlineData(1, 1, 2, 1)]
    [InlineData(7, 5, 2, 1)]
    [InlineData(33, 17, 2, 2)]
    [InlineData(64, 48, 0, 1)]
    [InlineData(64, 48, 1, 3)]
    [InlineData(61, 45, 3, 2)]
    public void Kernel_keeps_the_pixels_the_tensor_formulation_keeps(int width, int height, int radius, int batch)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        Tensor scores = rand([batch, 1, height, width], generator: generator).mul(8).floor().div(8);

        Tensor kernel = SimpleNms.Apply(scores, radius);
        Tensor reference = SimpleNms.WithTensors(scores, radius);

        Assert.Equal(reference.shape, kernel.shape);
        Assert.True(reference.eq(kernel).all().item<bool>(), $"{reference.ne(kernel).sum().item<long>()} of {reference.numel()} pixels differ");
        Assert.True(kernel.count_nonzero().item<long>() > 0);
    }

    /// <summary>A NaN score (a diverged network) leaves the same pixels, NaN included, whichever path serves the map.</summary>
    [Fact]
    public void A_map_with_a_nan_keeps_the_pixels_the_tensor_formulation_keeps()
    {
        using var scope = NewDisposeScope();
        Tensor scores = rand([1, 1, 20, 30], generator: new Generator(3));
        scores[0, 0, 10, 15] = tensor(float.NaN);

        Tensor result = SimpleNms.Apply(scores, 2);
        Tensor reference = SimpleNms.WithTensors(scores, 2);

        Assert.True(result.nan_to_num(-1).eq(reference.nan_to_num(-1)).all().item<bool>());
    }

    [Fact]
    public void A_view_of_a_larger_map_gives_the_same_pixels_as_its_copy()
    {
        using var scope = NewDisposeScope();
        Tensor whole = rand([1, 1, 40, 50], generator: new Generator(5));
        Tensor view = whole.narrow(2, 3, 30).narrow(3, 7, 40);

        Assert.True(SimpleNms.Apply(view, 2).eq(SimpleNms.WithTensors(view.contiguous(), 2)).all().item<bool>());
    }
}
