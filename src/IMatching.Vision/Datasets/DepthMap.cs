namespace IMatching.Vision.Datasets;

/// <summary>A depth image in metres, row by row; NaN where the sensor measured nothing.</summary>
public sealed class DepthMap(int width, int height, float[] metres)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public float[] Metres { get; } = metres.Length == width * height
        ? metres : throw new ArgumentException($"{metres.Length} values for a {width}x{height} depth map", nameof(metres));

    /// <summary>Depth at the pixel whose centre is (x, y).</summary>
    public float At(int x, int y) => Metres[y * Width + x];
}
