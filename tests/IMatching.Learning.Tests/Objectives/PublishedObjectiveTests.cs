using IMatching.Geometry.Cameras;
using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Learning.Matching;
using IMatching.Learning.Objectives;
using IMatching.Vision.Mapping;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Objectives;

/// <summary>The published objective on a hand-made two-view map: zero at the map's reprojections, exact gradient elsewhere.</summary>
public class PublishedObjectiveTests
{
    private static readonly PinholeCamera Camera = new(320, 240, 300, 300, 160, 120);
    private static readonly Se3 Second = new(Mat3.Identity, new Vec3(-0.1, 0.02, 0));
    private static readonly Vec3[] Landmarks = [new(0.2, 0.1, 3), new(-0.4, 0.3, 2.5), new(0.5, -0.2, 4), new(-0.1, -0.3, 3.5)];

    private static Vec2 Pixel(Se3 cameraFromWorld, Vec3 world) => Camera.Project(cameraFromWorld.Act(world));

    private static (PairPredictions Predictions, MapResult Map) Scene(double[] coarse, double[] fine)
    {
        int n = Landmarks.Length;
        var queries = new double[n, 2];
        var observations = new List<MapObservation>();
        long[] origins = [.. Enumerable.Range(0, n).Select(i => OriginId.Encode(0, i))];
        for (int i = 0; i < n; i++)
        {
            Vec2 a = Pixel(Se3.Identity, Landmarks[i]), b = Pixel(Second, Landmarks[i]);
            (queries[i, 0], queries[i, 1]) = (a.X, a.Y);
            observations.Add(new MapObservation(0, i, a, origins[i], CorrespondenceSide.A, 1, a, 0, true));
            observations.Add(new MapObservation(1, i, b, origins[i], CorrespondenceSide.B, 1, b, 0, true));
        }
        var predictions = new PairPredictions(0, 1, queries,
            tensor(coarse, [n, 2], dtype: ScalarType.Float64).requires_grad_(true),
            tensor(fine, [n, 2], dtype: ScalarType.Float64).requires_grad_(true),
            tensor(new double[] { 1, 2, 0.5, 4 }, dtype: ScalarType.Float64), null, origins);
        var map = new MapResult([Se3.Identity, Second], Landmarks, [.. observations], 0, 1, 0, null);
        return (predictions, map);
    }

    private static double[] Reprojections() => [.. Landmarks.SelectMany(l => { var p = Pixel(Second, l); return new[] { p.X, p.Y }; })];

    [Fact]
    public void Predictions_at_the_maps_reprojections_cost_nothing()
    {
        var exact = Reprojections();
        var (predictions, map) = Scene(exact, exact);
        using var value = new PublishedObjective().Compute([predictions], map, [Camera, Camera]);
        Assert.Equal(Landmarks.Length, value.Observations);
        Assert.True(Math.Abs(value.Loss.item<double>()) < 1e-9, $"loss {value.Loss.item<double>()}");
    }

    [Fact]
    public void The_gradient_with_the_map_held_constant_matches_central_differences()
    {
        var exact = Reprojections();
        double[] coarse = [.. exact.Select((v, i) => v + (i % 3 == 0 ? 2.5 : -1.25))];
        double[] fine = [.. exact.Select((v, i) => v + (i % 2 == 0 ? 0.75 : -0.5))];
        var (predictions, map) = Scene(coarse, fine);
        var objective = new PublishedObjective();
        using (var value = objective.Compute([predictions], map, [Camera, Camera])) value.Loss.backward();
        var analyticCoarse = predictions.Coarse.grad!.data<double>().ToArray();
        var analyticFine = predictions.Fine.grad!.data<double>().ToArray();

        double Cost(double[] c, double[] f)
        {
            var (p, m) = Scene(c, f);
            using var v = objective.Compute([p], m, [Camera, Camera]);
            return v.Loss.item<double>();
        }
        const double Step = 1e-5;
        for (int i = 0; i < coarse.Length; i++)
        {
            double[] Moved(double[] x, double d) { var y = (double[])x.Clone(); y[i] += d; return y; }
            double numericCoarse = (Cost(Moved(coarse, Step), fine) - Cost(Moved(coarse, -Step), fine)) / (2 * Step);
            double numericFine = (Cost(coarse, Moved(fine, Step)) - Cost(coarse, Moved(fine, -Step))) / (2 * Step);
            Assert.True(Math.Abs(numericCoarse - analyticCoarse[i]) < 1e-7, $"coarse {i}: {analyticCoarse[i]} vs {numericCoarse}");
            Assert.True(Math.Abs(numericFine - analyticFine[i]) < 1e-7, $"fine {i}: {analyticFine[i]} vs {numericFine}");
        }
        Assert.Contains(analyticCoarse, g => Math.Abs(g) > 1e-4);
    }

    [Fact]
    public void Objectives_are_named_by_their_option()
    {
        Assert.Equal(ImperativeObjectiveKind.Published, ImperativeObjectives.Parse("published"));
        Assert.Equal(ImperativeObjectiveKind.BaCost, ImperativeObjectives.Parse(" BA-COST "));
        Assert.Null(ImperativeObjectives.Parse("l1"));
        Assert.IsType<PublishedObjective>(ImperativeObjectives.Create(ImperativeObjectiveKind.Published, 1));
    }
}
