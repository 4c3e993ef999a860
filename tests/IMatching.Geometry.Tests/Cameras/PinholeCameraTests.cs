using IMatching.Geometry.Cameras;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.Cameras;

public class PinholeCameraTests
{
    private static readonly PinholeCamera Moderate = new(640, 480, 500.5, 498.25, 319.2, 240.7, -0.28, 0.07, 1e-3, -5e-4, 0.01);
    // Wide-angle barrel distortion: corner pixels sit ~1 normalised unit out and undistort to ~1.6.
    private static readonly PinholeCamera Strong = new(640, 480, 400, 401.5, 321.3, 238.9, -0.45, 0.2, 2e-3, 1e-3, -0.02);
    private static readonly PinholeCamera Pincushion = new(1280, 720, 900, 900, 640.1, 359.8, 0.18, 0.05, -1e-3, 2e-3, 0.01);

    public static TheoryData<string> Cameras => new() { nameof(Moderate), nameof(Strong), nameof(Pincushion) };

    private static PinholeCamera Camera(string name) => name switch
    {
        nameof(Moderate) => Moderate,
        nameof(Strong) => Strong,
        nameof(Pincushion) => Pincushion,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static IEnumerable<Vec2> PixelGrid(PinholeCamera c)
    {
        // Every 1/16 of the image, edges and corners included (pixel centres span [0, size - 1], and half a pixel beyond).
        for (int i = 0; i <= 16; i++)
            for (int j = 0; j <= 16; j++)
                yield return new Vec2(-0.5 + i * c.Width / 16.0, -0.5 + j * c.Height / 16.0);
    }

    [Theory]
    [MemberData(nameof(Cameras))]
    public void UndistortInvertsDistortAcrossTheImage(string name)
    {
        var camera = Camera(name);
        double worst = 0;
        foreach (var pixel in PixelGrid(camera))
        {
            var normalized = camera.Undistort(pixel);
            double error = (camera.Distort(normalized) - pixel).Norm;
            worst = Math.Max(worst, error);
            Assert.True(error < 1e-9, $"{name}: pixel {pixel} -> {normalized} -> error {error:G3} px");
        }
        // The distortion must actually be exercised: the corner moves by many pixels.
        var corner = new Vec2(-0.5, -0.5);
        Assert.True((camera.UndistortPixel(corner) - corner).Norm > 20);
        Assert.True(worst < 1e-9);
    }

    [Theory]
    [MemberData(nameof(Cameras))]
    public void DistortInvertsUndistortInNormalisedCoordinates(string name)
    {
        var camera = Camera(name);
        foreach (var pixel in PixelGrid(camera))
        {
            // Normalised points whose images cover the frame: undistort once, then round trip from there.
            var n = camera.Undistort(pixel);
            var back = camera.Undistort(camera.Distort(n));
            Assert.True((back - n).Norm < 1e-9 / camera.MeanFocal, $"{name}: {n} -> {back}");
        }
    }

    [Fact]
    public void UndistortWithoutDistortionIsTheInverseCalibration()
    {
        var camera = Moderate.WithoutDistortion();
        Assert.False(camera.HasDistortion);
        var n = camera.Undistort(new Vec2(100, 50));
        Assert.Equal(new Vec2((100 - 319.2) / 500.5, (50 - 240.7) / 498.25), n);
    }

    [Fact]
    public void UnprojectAndUndistortPixelInvertProjection()
    {
        var rng = new Random(83);
        for (int i = 0; i < 100; i++)
        {
            var p = new Vec3(2 * rng.NextDouble() - 1, 1.5 * rng.NextDouble() - 0.75, 1 + 4 * rng.NextDouble());
            var pixel = Moderate.Project(p);
            Approx.Equal(p, Moderate.Unproject(pixel, p.Z), 1e-11);
            var ideal = Moderate.WithoutDistortion().Project(p);
            Approx.Equal(ideal, Moderate.UndistortPixel(pixel), 1e-9);
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.25)]
    [InlineData(1.0 / 3)]
    [InlineData(2)]
    [InlineData(1.5)]
    public void ScaledCameraKeepsPixelCentresConsistent(double scale)
    {
        var scaled = Moderate.Scaled(scale);
        Assert.Equal((int)Math.Round(640 * scale), scaled.Width);
        Assert.Equal((int)Math.Round(480 * scale), scaled.Height);
        Assert.Equal((Moderate.K1, Moderate.K2, Moderate.P1, Moderate.P2, Moderate.K3), (scaled.K1, scaled.K2, scaled.P1, scaled.P2, scaled.K3));
        var rng = new Random(89);
        for (int i = 0; i < 50; i++)
        {
            var p = new Vec3(2 * rng.NextDouble() - 1, 1.5 * rng.NextDouble() - 0.75, 1 + 4 * rng.NextDouble());
            var original = Moderate.Project(p);
            var expected = new Vec2((original.X + 0.5) * scale - 0.5, (original.Y + 0.5) * scale - 0.5);
            Approx.Equal(expected, scaled.Project(p), 1e-12);
        }
        // The image's outer edge (-0.5) stays the outer edge.
        var edge = scaled.Distort(Moderate.Undistort(new Vec2(-0.5, -0.5)));
        Approx.Equal(new Vec2(-0.5, -0.5), edge, 1e-9);
    }

    [Fact]
    public void ParametersRoundTripInModelOrder()
    {
        var p = Strong.ToParameters();
        Assert.Equal([400, 401.5, 321.3, 238.9, -0.45, 0.2, 2e-3, 1e-3, -0.02], p);
        Assert.Equal(Strong, PinholeCamera.FromParameters(640, 480, p));
        Assert.Equal(400.75, Strong.MeanFocal);
        Assert.True(Strong.HasDistortion);
        Assert.True((Moderate.WithoutDistortion() with { P2 = 1e-6 }).HasDistortion);
        Assert.Equal(BrownConradyModel.Instance.Project(p, new Vec3(0.3, -0.2, 2), default, default), Strong.Project(new Vec3(0.3, -0.2, 2)));
    }
}
