using IMatching.Learning.Matching;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// The CPU float32 kernels that correlate windows on the map itself against the tensor formulation (padded rows,
/// gathered candidates), which float64 maps take: values and both gradients through <see cref="WindowTable"/>, with
/// windows inside, across and beyond every edge, overlapping windows (the map gradient's collisions), descriptor
/// lengths that are and are not multiples of the vector width and of the kernels' channel block (16), inputs that are views at an offset into larger
/// tensors, the map's gradient split into bands for one to three threads, and queries that share a window (taken four at a time).
/// </summary>
public class WindowCorrelationKernelTests
{
    [Theory]
    [InlineData(5, 16)]
    [InlineData(16, 5)]
    [InlineData(40, 16)]
    [InlineData(128, 16)]
    public void Kernels_give_the_tensor_formulations_values_and_gradients(int length, int size)
    {
        using var scope = NewDisposeScope();
        var (descriptors, map, origins) = Problem(length, size, seed: 11);
        using var random = new Generator(12);
        Tensor weights = randn([origins.shape[0], size, size], dtype: ScalarType.Float64, generator: random);

        var exact = Run(descriptors, map, origins, size, weights);
        Assert.False(WindowCorrelationKernels.Serve(map)); // float64: the tensor formulation
        var fast = Run(descriptors.to_type(ScalarType.Float32), map.to_type(ScalarType.Float32), origins, size, weights.to_type(ScalarType.Float32));

        AssertClose(exact.Values, fast.Values, "values");
        AssertClose(exact.Descriptors, fast.Descriptors, "descriptor gradients");
        AssertClose(exact.Map, fast.Map, "map gradients");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Backward_splits_the_map_among_threads_without_changing_the_gradients(int threads)
    {
        const int size = 8;
        using var scope = NewDisposeScope();
        var (descriptors64, map64, origins) = Problem(24, size, seed: 21);
        using var random = new Generator(22);
        // A view at an offset into a larger tensor, as a narrowed incoming gradient is.
        Tensor padded = randn([origins.shape[0] + 3, size, size], dtype: ScalarType.Float32, generator: random);
        Tensor gradient = padded.narrow(0, 3, origins.shape[0]);
        var exact = Run(descriptors64, map64, origins, size, gradient.to_type(ScalarType.Float64));

        Tensor descriptors = descriptors64.to_type(ScalarType.Float32), map = map64[0].to_type(ScalarType.Float32);
        Tensor first = FirstCells(origins, size, map64);
        Tensor descriptorsGradient = zeros(descriptors.shape), mapGradient = zeros(map.shape);
        WindowCorrelationKernels.Backward(gradient, descriptors, map, first, size, descriptorsGradient, mapGradient, threads);
        AssertClose(exact.Descriptors, descriptorsGradient, "descriptor gradients");
        AssertClose(exact.Map[0], mapGradient, "map gradients");

        Tensor onlyDescriptors = zeros(descriptors.shape);
        WindowCorrelationKernels.Backward(gradient, descriptors, map, first, size, onlyDescriptors, null, threads);
        AssertClose(exact.Descriptors, onlyDescriptors, "descriptor gradients alone");
        Tensor values = empty([origins.shape[0], size, size]);
        WindowCorrelationKernels.Forward(descriptors, map, first, size, values, threads);
        AssertClose(exact.Values, values, "values");
    }

    [Theory]
    [InlineData(40, 16)]
    [InlineData(128, 16)]
    [InlineData(16, 5)]
    public void Queries_that_share_a_window_give_what_each_gives_alone(int length, int size)
    {
        using var scope = NewDisposeScope();
        var (descriptors64, _, _) = Problem(length, size, seed: 31);
        using var random = new Generator(32);
        // Wide enough for whole 16-cell lines (two vectors), lines cut to one vector and a few cells by the edges.
        Tensor map64 = randn([1, length, 19, 37], dtype: ScalarType.Float64, generator: random);
        // Runs of 1 to 9 queries on the same window (the kernels take four at a time), in shuffled order, on windows
        // inside the map, across its edges and beyond them.
        long[] windows = [3, 2, -2, 4, 27, -size, 30, -3, 9, 7, 0, 0];
        int[] runs = [9, 1, 4, 7, 2, 5];
        var origins = new List<long>();
        for (int w = 0; w < runs.Length; w++)
            for (int k = 0; k < runs[w]; k++) origins.AddRange([windows[2 * w], windows[2 * w + 1]]);
        int n = origins.Count / 2;
        Tensor shuffle = randperm(n, generator: random);
        Tensor shared = tensor(origins.ToArray(), [n, 2]).index_select(0, shuffle).to_type(ScalarType.Float64);
        Tensor first = FirstCells(shared, size, map64);
        Tensor descriptors = descriptors64.narrow(0, 0, n).to_type(ScalarType.Float32).contiguous();
        Tensor map = map64[0].to_type(ScalarType.Float32).contiguous();
        Tensor gradient = randn([n, size, size], dtype: ScalarType.Float32, generator: random);

        var exact = Run(descriptors64.narrow(0, 0, n), map64, shared, size, gradient.to_type(ScalarType.Float64));
        Tensor values = empty([n, size, size]);
        WindowCorrelationKernels.Forward(descriptors, map, first, size, values, 1);
        Tensor descriptorsGradient = zeros(descriptors.shape), mapGradient = zeros(map.shape);
        WindowCorrelationKernels.Backward(gradient, descriptors, map, first, size, descriptorsGradient, mapGradient, 1);
        AssertClose(exact.Values, values, "values");
        AssertClose(exact.Descriptors, descriptorsGradient, "descriptor gradients");
        AssertClose(exact.Map[0], mapGradient, "map gradients");
        // Split among threads (queries in the forward pass, bands of map rows in the backward pass), a run may be cut.
        Tensor valuesSplit = empty([n, size, size]);
        WindowCorrelationKernels.Forward(descriptors, map, first, size, valuesSplit, 3);
        Assert.True(Bits(valuesSplit).SequenceEqual(Bits(values)), "values differ when split among threads");
        Tensor descriptorsGradientSplit = zeros(descriptors.shape), mapGradientSplit = zeros(map.shape);
        WindowCorrelationKernels.Backward(gradient, descriptors, map, first, size, descriptorsGradientSplit, mapGradientSplit, 3);
        AssertClose(exact.Descriptors, descriptorsGradientSplit, "descriptor gradients split among threads");
        AssertClose(exact.Map[0], mapGradientSplit, "map gradients split among threads");

        // Each query alone: its values and its descriptor's gradient are summed in the same order, so equal to the bit.
        for (int i = 0; i < n; i++)
        {
            Tensor alone = empty([1, size, size]), aloneGradient = zeros([1, length]);
            WindowCorrelationKernels.Forward(descriptors.narrow(0, i, 1), map, first.narrow(0, i, 1), size, alone, 1);
            WindowCorrelationKernels.Backward(gradient.narrow(0, i, 1), descriptors.narrow(0, i, 1), map, first.narrow(0, i, 1), size, aloneGradient, zeros(map.shape), 1);
            Assert.True(Bits(alone[0]).SequenceEqual(Bits(values[i])), $"query {i}: values differ from the query's alone");
            Assert.True(Bits(aloneGradient[0]).SequenceEqual(Bits(descriptorsGradient[i])), $"query {i}: descriptor gradient differs from the query's alone");
        }
    }

    [Fact]
    public void A_window_away_from_the_map_is_refused()
    {
        using var scope = NewDisposeScope();
        Tensor descriptors = ones([2, 8]), map = ones([8, 6, 7]);
        Tensor far = tensor(new long[] { 0, 0, 8, 0 }, [2, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCorrelationKernels.Forward(descriptors, map, far, 4, empty(2, 4, 4), 1));
        Tensor before = tensor(new long[] { 0, 0, 0, -5 }, [2, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCorrelationKernels.Backward(ones(2, 4, 4), descriptors, map, before, 4, zeros(2, 8), zeros(8, 6, 7), 1));
    }

    /// <summary>
    /// 40 descriptors (a view at an offset) and a 1 x D x 11 x 13 map (a view into a batch of two), with window
    /// origins (x, y, in cells) everywhere on and around it: inside, across each edge and corner, and far beyond it
    /// (clamped to the padding by the table), many of them overlapping.
    /// </summary>
    private static (Tensor Descriptors, Tensor Map, Tensor Origins) Problem(int length, int size, int seed)
    {
        using var random = new Generator((ulong)seed);
        Tensor descriptors = randn([42, length], dtype: ScalarType.Float64, generator: random).narrow(0, 2, 40);
        Tensor map = randn([2, length, 11, 13], dtype: ScalarType.Float64, generator: random).narrow(0, 1, 1);
        Tensor scattered = rand([32, 2], dtype: ScalarType.Float64, generator: random) * tensor(new double[] { 13 + 2 * size, 11 + 2 * size }, dtype: ScalarType.Float64) - size;
        Tensor edges = tensor(new double[] { -size, -size, 12, 10, -2, 5, 11, -3, 4, 9, 0, 0, -40, 3, 50, 60 }, [8, 2], dtype: ScalarType.Float64);
        return (descriptors, map, cat([scattered, edges], 0));
    }

    /// <summary>The first cells the table correlates for the origins: in the padded frame, clamped, and back.</summary>
    private static Tensor FirstCells(Tensor origins, int size, Tensor map)
    {
        int padding = size / 2 + 1;
        Tensor x = origins.select(1, 0).to_type(ScalarType.Int64).clamp(-padding, map.shape[3] + padding - size);
        Tensor y = origins.select(1, 1).to_type(ScalarType.Int64).clamp(-padding, map.shape[2] + padding - size);
        return stack([x, y], 1).contiguous();
    }

    /// <summary>Values, and the gradients of Σ weights ∘ values with respect to the descriptors and the map.</summary>
    private static (Tensor Values, Tensor Descriptors, Tensor Map) Run(Tensor descriptors, Tensor map, Tensor origins, int size, Tensor weights)
    {
        Tensor d = descriptors.detach().requires_grad_(true), m = map.detach().requires_grad_(true);
        var table = new WindowTable(new FeatureLevel(m, 1, 1, 0, 0), size);
        Tensor values = table.Correlate(d, origins, size);
        var gradients = autograd.grad([(values * weights).sum()], [d, m]);
        return (values.detach(), gradients[0], gradients[1]);
    }

    private static int[] Bits(Tensor t) => [.. t.contiguous().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)];

    private static void AssertClose(Tensor exact, Tensor fast, string what)
    {
        double scale = exact.abs().max().item<double>();
        double error = (fast.to_type(ScalarType.Float64) - exact.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(scale > 0, $"{what}: all zero");
        Assert.True(error <= 1e-5 * scale, $"{what} differ by {error:E2} (largest magnitude {scale:E2})");
    }
}
