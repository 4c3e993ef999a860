using IMatching.Learning.Matching;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// The coarse level's fused softmax and moments (float32 CPU kernels) against the tensor formulation in float64 on
/// the same inputs: expected positions, variances, best cells and the gradients of both the descriptors and the cells.
/// </summary>
public class CoarseMomentsTests
{
    /// <summary>Cells on a 7 x 5 grid (35: not a whole number of vectors) or 40 x 30, 8 pixels apart; peaked (T = 0.01) and flat (T = 1) distributions.</summary>
    [Theory]
    [InlineData(7, 5, 0.01)]
    [InlineData(7, 5, 1.0)]
    [InlineData(40, 30, 0.02)]
    public void Moments_best_cells_and_gradients_are_the_tensor_formulations(int width, int height, double temperature)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        int n = 37, cells = width * height;
        Tensor descriptors = functional.normalize(randn([n, 32], generator: generator), p: 2, dim: 1);
        Tensor cellMap = functional.normalize(randn([32, cells], generator: generator), p: 2, dim: 0);
        Tensor positions = stack([arange(cells).remainder(width), arange(cells).div(width, rounding_mode: RoundingMode.floor)], 1).to_type(ScalarType.Float32).mul(8).add(3.5);
        Tensor weights = randn([n, 4], generator: generator);

        Tensor[] leaves = [descriptors.detach().requires_grad_(true), cellMap.detach().requires_grad_(true)];
        var (moments, best, kept) = CoarseMoments.Apply(leaves[0], leaves[1], positions, temperature);
        Assert.False(kept!.IsInvalid);
        (moments * weights).sum().backward();
        // Freed by the backward pass that read it, not left to the graph or the scope.
        Assert.True(kept.IsInvalid);

        Tensor[] exactLeaves = [.. leaves.Select(l => l.detach().to_type(ScalarType.Float64).requires_grad_(true))];
        Tensor exactPositions = positions.to_type(ScalarType.Float64);
        Tensor probability = functional.softmax(exactLeaves[0].matmul(exactLeaves[1]).div(temperature), 1);
        Tensor expected = probability.matmul(exactPositions);
        Tensor variance = probability.matmul(exactPositions.square()) - expected.square();
        Tensor exact = cat([expected, variance], 1);
        (exact * weights.to_type(ScalarType.Float64)).sum().backward();

        double valueError = ((moments.to_type(ScalarType.Float64) - exact.detach()).abs() / exact.detach().abs().clamp_min(1)).max().item<double>();
        double gradientError = leaves.Zip(exactLeaves).Max(p => (p.First.grad!.to_type(ScalarType.Float64) - p.Second.grad!).abs().max().item<double>() / p.Second.grad!.abs().max().item<double>());
        Assert.True(valueError < 1e-5, $"moments differ by {valueError:E2} (relative)");
        Assert.True(gradientError < 1e-4, $"gradients differ by {gradientError:E2} of the largest");
        Assert.True(best.eq(descriptors.matmul(cellMap).argmax(1)).all().item<bool>());
    }

    [Fact]
    public void Nothing_is_kept_when_no_backward_pass_can_come()
    {
        using var scope = NewDisposeScope();
        Tensor descriptors = functional.normalize(randn([5, 8]), p: 2, dim: 1).requires_grad_(true);
        Tensor cells = functional.normalize(randn([8, 12]), p: 2, dim: 0);
        Tensor positions = randn([12, 2]);
        using (no_grad())
            Assert.Null(CoarseMoments.Apply(descriptors, cells, positions, 0.1).Kept);
        Assert.Null(CoarseMoments.Apply(descriptors.detach(), cells, positions, 0.1).Kept);
        Assert.NotNull(CoarseMoments.Apply(descriptors, cells, positions, 0.1).Kept);
    }

    [Fact]
    public void Kept_correlations_live_in_the_callers_scope_when_no_backward_pass_comes()
    {
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            Tensor descriptors = functional.normalize(randn([5, 8]), p: 2, dim: 1).requires_grad_(true);
            Tensor cells = functional.normalize(randn([8, 12]), p: 2, dim: 0);
            kept = CoarseMoments.Apply(descriptors, cells, randn([12, 2]), 0.1).Kept!;
            Assert.False(kept.IsInvalid);
        }
        Assert.True(kept.IsInvalid);
    }
}
