using IMatching.Learning.Matching;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Matching;

/// <summary>What the mapper receives from a prediction, and how cells and pixels relate for each backbone.</summary>
public class PredictionConversionTests
{
    [Fact]
    public void Correspondences_are_detached_doubles_with_confidence_from_std_and_the_origin_ids()
    {
        using var scope = NewDisposeScope();
        Tensor fine = tensor(new float[] { 10.5f, 20.25f, 3, 4 }, [2, 2]).requires_grad_();
        var predictions = new PairPredictions(2, 5, new double[,] { { 1, 2 }, { 3, 4 } }, fine.detach(), fine * 1,
            tensor(new float[] { 0, 3 }), null, [OriginId.Encode(1, 7), OriginId.Encode(1, 9)]);

        var matches = predictions.ToCorrespondences();

        Assert.Equal((2, 5), (matches.FrameA, matches.FrameB));
        Assert.Equal(new(3, 4), matches.PointsA[1]);
        Assert.Equal(new(10.5, 20.25), matches.PointsB[0]);
        Assert.Equal([1.0, 0.25], matches.Confidence);
        Assert.Equal((1, 9), OriginId.Decode(matches.OriginIds[1]));
    }

    [Fact]
    public void Pooled_cells_sit_at_their_block_centres_and_aligned_corner_cells_span_the_image()
    {
        using var scope = NewDisposeScope();
        var pooled = new FeatureLevel(zeros(1, 4, 60, 80), 8, 8, 3.5, 3.5);
        Tensor pixels = pooled.ToPixels(tensor(new float[] { 0, 0, 79, 59 }, [2, 2]));
        Assert.Equal(new float[] { 3.5f, 3.5f, 635.5f, 475.5f }, pixels.data<float>().ToArray());

        var aligned = new FeatureLevel(zeros(1, 4, 15, 20), 639.0 / 19, 479.0 / 14, 0, 0);
        Tensor corners = aligned.CellPixels().index_select(0, tensor(new long[] { 0, 299 }));
        Assert.Equal(new float[] { 0, 0, 639, 479 }, corners.data<float>().ToArray(), new FloatTolerance(1e-4f));
        Tensor back = aligned.ToCells(corners);
        Assert.Equal(new float[] { 0, 0, 19, 14 }, back.data<float>().ToArray(), new FloatTolerance(1e-4f));
    }

    [Fact]
    public void Sampling_at_a_cell_reads_that_cell()
    {
        using var scope = NewDisposeScope();
        Tensor map = arange(2 * 3 * 4, dtype: ScalarType.Float32).reshape(1, 2, 3, 4);
        var level = new FeatureLevel(map, 1, 1, 0, 0);
        Tensor sampled = level.Sample(tensor(new float[] { 2, 1, 0.5f, 0 }, [2, 2]));
        Assert.Equal(new float[] { 6, 18, 0.5f, 12.5f }, sampled.data<float>().ToArray(), new FloatTolerance(1e-5f));
    }

    [Fact]
    public void Heads_accept_a_frame_without_queries()
    {
        using var scope = NewDisposeScope();
        var features = new DenseFeatures(new FeatureLevel(randn(1, 8, 6, 8), 8, 8, 3.5, 3.5), new FeatureLevel(randn(1, 8, 48, 64), 1, 1, 0, 0), null);
        var (coarse, fine, std) = ExpectationHead.Predict(zeros(0, 2), features, features, new ExpectationHeadOptions());
        Assert.Equal([0L, 2L], fine.shape);
        Assert.Equal([0L], std.shape);
        var head = new RegressionHead(new RegressionNetwork(8, 9));
        var (refined, confidence) = head.Refine(zeros(0, 2), coarse, features.Fine, features.Fine);
        Assert.Equal([0L, 2L], refined.shape);
        Assert.Equal([0L], confidence.shape);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
