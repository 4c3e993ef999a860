using IMatching.Geometry.Linear;
using IMatching.Vision.Features;

namespace IMatching.Vision.Tests.Features;

public sealed class KeypointSelectionTests
{
    [Fact]
    public void Keeps_the_strongest_unique_points_inside_the_margin()
    {
        Vec2[] points = [new(50, 50), new(5, 50), new(60, 60), new(50, 50), new(70, 95), new(80, 80)];
        double[] scores = [3, 100, 1, 2, 50, 4];

        DetectedKeypoints kept = KeypointSelection.Select(points, scores, width: 100, height: 100, new KeypointSelectionOptions(maxCount: 2, borderMarginPx: 8));

        // (5, 50) and (70, 95) lie in the margin; the second (50, 50) repeats a stronger one.
        Assert.Equal([new(80, 80), new(50, 50)], kept.Points);
        Assert.Equal([4.0, 3.0], kept.Scores);
    }

    [Fact]
    public void Buckets_give_every_cell_its_best_point_before_any_cell_its_second()
    {
        // Three strong points crowd the left half; the right half has one weak point.
        Vec2[] points = [new(10, 10), new(20, 20), new(30, 30), new(90, 50)];
        double[] scores = [9, 8, 7, 1];

        DetectedKeypoints plain = KeypointSelection.Select(points, scores, 120, 60, new KeypointSelectionOptions(2, 0));
        DetectedKeypoints spread = KeypointSelection.Select(points, scores, 120, 60, new KeypointSelectionOptions(2, 0, new Buckets(2, 1)));

        Assert.Equal([new(10, 10), new(20, 20)], plain.Points);
        Assert.Equal([new(10, 10), new(90, 50)], spread.Points);
    }

    [Fact]
    public void Equal_scores_are_ordered_by_position_whatever_the_input_order()
    {
        Vec2[] points = [new(40, 30), new(20, 30), new(30, 10)];

        DetectedKeypoints kept = KeypointSelection.Select(points, [1, 1, 1], 100, 100, new KeypointSelectionOptions(3, 0));

        Assert.Equal([new(30, 10), new(20, 30), new(40, 30)], kept.Points);
    }
}
