using IMatching.Learning.Objectives;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Objectives;

/// <summary>Values and exact gradients (against central differences, float64) of the published objective's terms.</summary>
public class ObjectiveTermsTests
{
    private static Tensor Points(params double[] xy) => tensor(xy, [xy.Length / 2, 2], dtype: ScalarType.Float64);

    [Fact]
    public void Clamped_distance_is_the_euclidean_distance_up_to_the_clamp_with_no_pull_beyond()
    {
        using var predicted = Points(3, 4, 100, 0, 1, 1).requires_grad_(true);
        using var target = Points(0, 0, 0, 0, 1, 1);
        using var distance = ObjectiveTerms.ClampedDistance(predicted, target, maxPx: 50);
        Assert.Equal(new[] { 5.0, 50.0, 0.0 }, distance.data<double>().ToArray().Select(d => Math.Round(d, 9)));
        distance.sum().backward();
        var grad = predicted.grad!.data<double>().ToArray();
        Assert.Equal(0.6, grad[0], 12);
        Assert.Equal(0.8, grad[1], 12);
        Assert.All(grad[2..], g => Assert.Equal(0, g, 12));
    }

    [Fact]
    public void Epipolar_distance_is_the_pixel_distance_to_the_line_with_an_exact_gradient()
    {
        // Pure x translation, identity intrinsics: epipolar lines are the rows y = yA.
        using var f = tensor(new double[] { 0, 0, 0, 0, 0, -1, 0, 1, 0 }, [3, 3], dtype: ScalarType.Float64);
        using var queries = Points(10, 20, -5, 7);
        using var predicted = Points(40, 23, 3, 7).requires_grad_(true);
        using var distance = ObjectiveTerms.EpipolarDistance(queries, predicted, f);
        Assert.Equal(3, distance[0].item<double>(), 10);
        Assert.Equal(0, distance[1].item<double>(), 10);

        using var general = tensor(new double[] { 1e-6, -2e-5, 3e-3, 1.5e-5, 2e-6, -0.02, -4e-3, 0.018, 0.3 }, [3, 3], dtype: ScalarType.Float64);
        using var q = Points(100, 120, 300, 50, 220, 400);
        var values = new double[] { 110, 118, 290, 61, 230, 395 };
        using var p = tensor(values, [3, 2], dtype: ScalarType.Float64).requires_grad_(true);
        ObjectiveTerms.EpipolarDistance(q, p, general).sum().backward();
        var analytic = p.grad!.data<double>().ToArray();
        const double Step = 1e-6;
        for (int i = 0; i < values.Length; i++)
        {
            double Cost(double delta)
            {
                var moved = (double[])values.Clone();
                moved[i] += delta;
                using var m = tensor(moved, [3, 2], dtype: ScalarType.Float64);
                using var d = ObjectiveTerms.EpipolarDistance(q, m, general);
                return d.sum().item<double>();
            }
            double numeric = (Cost(Step) - Cost(-Step)) / (2 * Step);
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-6 * Math.Max(1, Math.Abs(numeric)), $"coordinate {i}: {analytic[i]} vs {numeric}");
        }
    }

    [Fact]
    public void Inverse_spread_weights_have_mean_one_over_kept_points_and_no_gradient()
    {
        using var spread = tensor(new double[] { 1, 2, 4, 8 }, dtype: ScalarType.Float64).requires_grad_(true);
        using var keep = tensor(new[] { true, true, false, true });
        using var weights = ObjectiveTerms.InverseSpreadWeights(spread, keep);
        var w = weights.data<double>().ToArray();
        Assert.Equal(1, w.Average(), 12);
        Assert.Equal(0, w[2]);
        Assert.Equal(2, w[0] / w[1], 12);
        Assert.False(weights.requires_grad);
        using var none = ObjectiveTerms.InverseSpreadWeights(spread, zeros(4, dtype: ScalarType.Bool));
        Assert.All(none.data<double>().ToArray(), x => Assert.Equal(0, x));
        // Networks predict in float32: the same weights (the demo's published-objective run once failed here).
        using var single = ObjectiveTerms.InverseSpreadWeights(spread.detach().to_type(ScalarType.Float32), keep);
        var f = single.data<float>().ToArray();
        for (int i = 0; i < w.Length; i++) Assert.Equal(w[i], f[i], 6);
    }
}
