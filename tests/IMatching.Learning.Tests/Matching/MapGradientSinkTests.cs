using IMatching.Learning.Backbones.Alike;
using IMatching.Learning.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>
/// With the fine maps kept beside the graph (<see cref="MapGradientSink"/>), the head's readers add the maps'
/// gradient to the sink and the recomputation takes it from there: predictions and weight gradients must be those
/// of the maps in the graph.
/// </summary>
public sealed class MapGradientSinkTests
{
    /// <summary>
    /// The whole 320x240 frame (bands of 64 rows, the last one 48), and a crop whose width needs padding to a multiple
    /// of 32 and whose last band ends inside a coarse cell.
    /// </summary>
    [Theory]
    [InlineData(320, 240)]
    [InlineData(301, 203)]
    public void Predictions_and_weight_gradients_equal_those_through_the_graph(int width, int height)
    {
        using var scope = NewDisposeScope();
        using var network = AlikeNetwork.Load(MatchingFixtures.AlikeWeights(AlikeVariant.Tiny), AlikeVariant.Tiny);
        network.train(false);
        var backbone = new AlikeBackbone(network);
        Tensor image = ImageTensor.Load(MatchingFixtures.TumImage)[.., .., ..height, ..width];
        Tensor[] frames = [image, roll(image, [2, -3], [3, 2]), roll(image, [-4, 5], [3, 2])];
        (int A, int B)[] pairs = [(0, 1), (1, 2), (0, 2)];
        var options = global::IMatching.Learning.Models.LearnedModels.AlikeExpectation;
        // Queries near every edge too, where sampling repeats the border and windows leave the map.
        var queries = QuerySources.Parse("grid:40");

        // The first matcher does keep the maps beside the graph (else this test would compare the graph with itself).
        using (var check = NewDisposeScope())
            Assert.All(((IDenseBackbone)backbone).ExtractForSinkReaders(cat(frames, 0)), f => Assert.NotNull(f.Fine.GradientSlot));

        var (besidePredictions, beside) = Gradients(new ExpectationMatcher("beside", backbone, queries, options), frames, pairs);
        var (graphPredictions, graph) = Gradients(new ExpectationMatcher("graph", new GraphOnly(backbone), queries, options), frames, pairs);

        for (int p = 0; p < pairs.Length; p++)
            foreach (var (a, b) in besidePredictions[p].Zip(graphPredictions[p]))
            {
                double difference = (a - b).abs().max().item<float>();
                Assert.True(difference < 1e-4, $"pair {p}: predictions differ by {difference:E2} px");
            }
        Assert.Equal(graph.Count, beside.Count);
        for (int i = 0; i < graph.Count; i++)
        {
            double scale = graph[i].abs().max().item<float>();
            Assert.True(scale > 0, $"parameter {i} got no gradient");
            double difference = (beside[i] - graph[i]).abs().max().item<float>();
            Assert.True(difference <= 1e-4 * scale, $"parameter {i}: differs by {difference:E2} (largest {scale:E2})");
        }
    }

    [Fact]
    public void Sampling_beside_the_graph_equals_grid_sample_in_values_and_map_gradient()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor map = randn([1, 6, 9, 13], generator: generator);
        // Inside, on cell centres, on the last row and column, and beyond every edge (the border repeats).
        Tensor cells = tensor(new float[] { 3.25f, 4.5f, 0, 0, 12, 8, 11.9f, 7.99f, -2.5f, 3.3f, 14.2f, -1f, 6.7f, 20f, 5f, 5f }, [8, 2]);
        Tensor weights = randn([8, 6], generator: generator);

        // The sink owns (and frees) the maps it is given: its own handle.
        var sink = new MapGradientSink() { Anchor = zeros(1).requires_grad_(true), Maps = [map.alias()] };
        var beside = new FeatureLevel(map, 1, 1, 0, 0) { GradientSlot = new MapGradientSink.Slot(sink, 0) };
        Tensor sampled = beside.Sample(cells);
        (sampled * weights).sum().backward();
        using Tensor? sunk = sink.TakeGradient(0);

        Tensor attached = map.clone().requires_grad_(true);
        Tensor reference = new FeatureLevel(attached, 1, 1, 0, 0).Sample(cells);
        (reference * weights).sum().backward();

        Assert.True(sampled.allclose(reference, rtol: 1e-5, atol: 1e-6), "the samples differ");
        Assert.NotNull(sunk);
        Assert.True(sunk!.allclose(attached.grad!, rtol: 1e-5, atol: 1e-6), "the map gradients differ");
    }

    /// <summary>
    /// Frame 1's window correlation (the only backward pass that reads a map) is made first, so autograd runs it
    /// last: the sampling readers' backward passes before it must free frame 0's map, which no backward pass reads,
    /// and keep frame 1's; the window's backward pass then frees frame 1's. Gradients as through the graph.
    /// </summary>
    [Fact]
    public void Each_map_is_freed_after_the_last_backward_pass_that_reads_it()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        Tensor[] maps = [.. Enumerable.Range(0, 2).Select(_ => randn([1, 6, 9, 13], generator: generator))];
        Tensor queries = randn([3, 6], generator: generator);
        Tensor origins = tensor(new long[] { 0, 0, 5, 2, 9, 6 }, [3, 2]);
        Tensor cells = tensor(new float[] { 3.25f, 4.5f, 11.5f, 7.25f }, [2, 2]);
        Tensor windowWeights = randn([3, 4, 4], generator: generator), sampleWeights = randn([2, 6], generator: generator);

        var sink = new MapGradientSink { Anchor = zeros(1).requires_grad_(true), Maps = [.. maps.Select(m => m.alias())] };
        var slots = new[] { new MapGradientSink.Slot(sink, 0), new MapGradientSink.Slot(sink, 1) };
        Tensor window = MapWindowCorrelation.Apply(queries, maps[1][0], origins, 4, slots[1]);
        Tensor Sampled(int frame) => new FeatureLevel(maps[frame], 1, 1, 0, 0) { GradientSlot = slots[frame] }.Sample(cells);
        Tensor loss = (window * windowWeights).sum().Plus((Sampled(0) * sampleWeights).sum()).Plus((Sampled(1) * sampleWeights).sum());
        Assert.Equal(2, sink.Maps.Count);
        loss.backward();
        Assert.Empty(sink.Maps);

        Tensor[] attached = [.. maps.Select(m => m.clone().requires_grad_(true))];
        Tensor Reference(int frame) => new FeatureLevel(attached[frame], 1, 1, 0, 0).Sample(cells);
        Tensor referenceWindow = MapWindowCorrelation.Apply(queries, attached[1][0], origins, 4);
        (referenceWindow * windowWeights).sum().Plus((Reference(0) * sampleWeights).sum()).Plus((Reference(1) * sampleWeights).sum()).backward();
        for (int frame = 0; frame < 2; frame++)
        {
            using Tensor? sunk = sink.TakeGradient(frame);
            Assert.NotNull(sunk);
            Assert.True(sunk!.allclose(attached[frame].grad!, rtol: 1e-5, atol: 1e-6), $"frame {frame}: the map gradients differ");
        }
    }

    [Fact]
    public void A_reader_refuses_a_freed_anchor_instead_of_losing_its_gradient()
    {
        using var scope = NewDisposeScope();
        Tensor map = randn(1, 4, 5, 6);
        Tensor anchor = zeros(1).requires_grad_(true);
        var sink = new MapGradientSink { Anchor = anchor, Maps = [map] };
        var level = new FeatureLevel(map, 1, 1, 0, 0) { GradientSlot = new MapGradientSink.Slot(sink, 0) };
        anchor.Dispose();
        Assert.Throws<InvalidOperationException>(() => level.Sample(tensor(new float[] { 1, 2 }, [1, 2])));
    }

    private static (Tensor[][] Predictions, List<Tensor> Gradients) Gradients(ExpectationMatcher matcher, Tensor[] frames, (int A, int B)[] pairs)
    {
        foreach (var p in matcher.Parameters) p.grad = null;
        var predictions = matcher.Predict(frames, pairs);
        // Weighted per prediction so that every query's gradient differs; the same weights for both matchers from a
        // generator of this test's own (tests in other classes draw from the global one concurrently).
        using var generator = new Generator(7);
        Tensor Weighted(Tensor t) => (t * randn(t.shape, dtype: t.dtype, generator: generator)).sum();
        Tensor loss = zeros(1);
        foreach (var p in predictions)
            loss = loss.Plus(Weighted(p.Fine)).Plus(Weighted(p.Coarse)).Plus(Weighted(p.Std!));
        loss.backward();
        return ([.. predictions.Select(p => new[] { p.Coarse.detach(), p.Fine.detach(), p.Std!.detach() })], [.. matcher.Parameters.Select(p => p.grad!.clone())]);
    }

    /// <summary>The backbone without its sink: every map stays in the graph.</summary>
    private sealed class GraphOnly(IDenseBackbone inner) : IDenseBackbone
    {
        public string Name => inner.Name;
        public Device Device => inner.Device;
        public IReadOnlyList<Tensor> Parameters => inner.Parameters;
        public nn.Module Network => inner.Network;
        public void Train(bool on) => inner.Train(on);
        public DenseFeatures Extract(Tensor images) => inner.Extract(images);
        public void Dispose() { }
    }
}
