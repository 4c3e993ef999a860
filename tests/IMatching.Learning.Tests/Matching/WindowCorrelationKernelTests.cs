using IMatching.Learning.Matching;
using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// The CPU float32 kernels of <see cref="WindowCorrelation"/> against its tensor formulation, which float64 inputs
/// take: values and both gradients, with rows shared by many queries (the index-add's collisions), descriptor lengths
/// that are and are not multiples of the vector width, inputs that are views into larger tensors, and the rows'
/// gradient split into bands for one to three threads.
/// </summary>
public class WindowCorrelationKernelTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(128)]
    public void Kernels_give_the_tensor_formulations_values_and_gradients(int length)
    {
        using var scope = NewDisposeScope();
        var (queries, rows, index) = Problem(length, seed: 11);
        using var random = new Generator(12);
        Tensor weights = randn([index.shape[0], index.shape[1]], dtype: ScalarType.Float64, generator: random);

        var (exact, exactQueries, exactRows) = Run(queries, rows, index, weights);
        Assert.False(WindowCorrelationKernels.Serve(queries, rows, index)); // float64: the tensor formulation
        var single = (Queries: queries.to_type(ScalarType.Float32), Rows: rows.to_type(ScalarType.Float32));
        Assert.True(WindowCorrelationKernels.Serve(single.Queries, single.Rows, index));
        var (fast, fastQueries, fastRows) = Run(single.Queries, single.Rows, index, weights.to_type(ScalarType.Float32));

        AssertClose(exact, fast, "values");
        AssertClose(exactQueries, fastQueries, "query gradients");
        AssertClose(exactRows, fastRows, "row gradients");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Backward_splits_the_rows_among_threads_without_changing_the_gradients(int threads)
    {
        using var scope = NewDisposeScope();
        var (queries64, rows64, index) = Problem(24, seed: 21);
        Tensor queries = queries64.to_type(ScalarType.Float32), rows = rows64.to_type(ScalarType.Float32);
        using var random = new Generator(22);
        // A view at an offset into a larger tensor, as a narrowed incoming gradient is.
        Tensor padded = randn([index.shape[0] + 3, index.shape[1]], dtype: ScalarType.Float32, generator: random);
        Tensor gradient = padded.narrow(0, 3, index.shape[0]);
        var (_, exactQueries, exactRows) = Run(queries64, rows64, index, gradient.to_type(ScalarType.Float64));

        Tensor queriesGradient = zeros(queries.shape), rowsGradient = zeros(rows.shape);
        WindowCorrelationKernels.Backward(gradient, queries, rows, index, queriesGradient, rowsGradient, threads);
        AssertClose(exactQueries, queriesGradient, "query gradients");
        AssertClose(exactRows, rowsGradient, "row gradients");

        Tensor onlyQueries = zeros(queries.shape);
        WindowCorrelationKernels.Backward(gradient, queries, rows, index, onlyQueries, null, threads);
        AssertClose(exactQueries, onlyQueries, "query gradients alone");
        Tensor values = empty(index.shape);
        WindowCorrelationKernels.Forward(queries, rows, index, values, threads);
        AssertClose((queries64.unsqueeze(1) * rows64.index_select(0, index.reshape(-1)).view(index.shape[0], index.shape[1], -1)).sum(2), values, "values");
    }

    [Fact]
    public void A_row_index_outside_the_table_is_refused()
    {
        using var scope = NewDisposeScope();
        Tensor queries = ones([2, 8]), rows = ones([4, 8]);
        Tensor index = tensor(new long[] { 0, 1, 2, 4 }, [2, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCorrelationKernels.Forward(queries, rows, index, empty(2, 2), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCorrelationKernels.Backward(ones(2, 2), queries, rows, index.neg(), zeros(2, 8), zeros(4, 8), 1));
    }

    /// <summary>
    /// 45 queries (a view at an offset) and 9 candidates each among 30 rows: every row is shared, and rows are drawn
    /// from the whole table so that bands of rows hold candidates of many queries.
    /// </summary>
    private static (Tensor Queries, Tensor Rows, Tensor Index) Problem(int length, int seed)
    {
        using var random = new Generator((ulong)seed);
        Tensor queries = randn([47, length], dtype: ScalarType.Float64, generator: random).narrow(0, 2, 45);
        Tensor rows = randn([30, length], dtype: ScalarType.Float64, generator: random);
        Tensor index = randint(0, 30, [45, 9], dtype: ScalarType.Int64, generator: random);
        return (queries, rows, index);
    }

    /// <summary>Values and the gradients of Σ weights ∘ values with respect to the queries and the rows.</summary>
    private static (Tensor Values, Tensor Queries, Tensor Rows) Run(Tensor queries, Tensor rows, Tensor index, Tensor weights)
    {
        Tensor q = queries.detach().requires_grad_(true), r = rows.detach().requires_grad_(true);
        Tensor values = WindowCorrelation.Apply(q, r, index);
        var gradients = autograd.grad([(values * weights).sum()], [q, r]);
        return (values.detach(), gradients[0], gradients[1]);
    }

    private static void AssertClose(Tensor exact, Tensor fast, string what)
    {
        double scale = exact.abs().max().item<double>();
        double error = (fast.to_type(ScalarType.Float64) - exact.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(scale > 0, $"{what}: all zero");
        Assert.True(error <= 1e-5 * scale, $"{what} differ by {error:E2} (largest magnitude {scale:E2})");
    }
}
