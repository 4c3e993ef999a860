using IMatching.Geometry.Linear;
using OpenCvSharp;

namespace IMatching.Vision.Features;

/// <summary>
/// Query points on a regular lattice every <see cref="StepPx"/> pixels, row by row, starting at
/// (margin, margin) and staying at least the margin away from every border. All scores are 1.
/// </summary>
public sealed class GridKeypointGenerator : IKeypointDetector
{
    public GridKeypointGenerator(int stepPx, int borderMarginPx = KeypointSelectionOptions.DefaultBorderMarginPx)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepPx);
        ArgumentOutOfRangeException.ThrowIfNegative(borderMarginPx);
        (StepPx, BorderMarginPx) = (stepPx, borderMarginPx);
    }

    public int StepPx { get; }
    public int BorderMarginPx { get; }
    public string Name => $"grid:{StepPx}";

    public DetectedKeypoints Detect(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty()) throw new ArgumentException("The image is empty.", nameof(image));
        return Generate(image.Width, image.Height);
    }

    public DetectedKeypoints Generate(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var points = new List<Vec2>();
        for (int y = BorderMarginPx; y <= height - 1 - BorderMarginPx; y += StepPx)
            for (int x = BorderMarginPx; x <= width - 1 - BorderMarginPx; x += StepPx)
                points.Add(new Vec2(x, y));
        return new DetectedKeypoints([.. points], Enumerable.Repeat(1.0, points.Count).ToArray());
    }
}
