using IMatching.Geometry.Linear;
using IMatching.Vision.Datasets;
using static IMatching.Vision.Synthetic.Colour;
using static IMatching.Vision.Synthetic.TextureFamily;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// The named domains. They differ in every way a matcher can overfit to: palette and patterns, light direction
/// and colour, contrast, blur, noise and colour cast, so a model trained on one has something to learn on another.
/// </summary>
public static class SyntheticDomains
{
    private static readonly SyntheticDomain[] All =
    [
        new()
        {
            Name = "office",
            Description = "neutral light from a window and a ceiling lamp; bricks, wood, plaster, posters",
            Palette = [Bytes(200, 190, 175), Bytes(150, 60, 45), Bytes(120, 120, 125), Bytes(140, 95, 55), Bytes(60, 90, 150),
                Bytes(70, 130, 80), Bytes(220, 200, 80), Bytes(230, 230, 225)],
            WallFamilies = [Bricks, Noise, Stripes, Cells],
            FloorFamilies = [Stripes, Bricks, Cells],
            ObjectFamilies = [Stripes, Noise, Blobs, Bricks, Cells],
            PanelFamilies = [Blobs, Stripes, Noise],
            Ambient = Rgb(0.5, 0.5, 0.5),
            SunTowards = new Vec3(0.4, 0.3, 0.85).Normalized(),
            SunColour = Rgb(0.6, 0.6, 0.57),
            LampColour = Rgb(0.7, 0.67, 0.63),
            NoiseSigma = 0.008,
            Vignette = 0.1,
        },
        new()
        {
            Name = "underwater",
            Description = "blue-green water: red absorbed with distance, haze, blur, low contrast, marine snow",
            Palette = [Bytes(190, 175, 130), Bytes(100, 95, 85), Bytes(80, 120, 60), Bytes(200, 110, 90), Bytes(120, 80, 130),
                Bytes(50, 55, 60)],
            WallFamilies = [Noise, Cells],
            FloorFamilies = [Noise, Cells],
            ObjectFamilies = [Cells, Noise, Blobs],
            PanelFamilies = [Blobs, Noise, Cells],
            Ambient = Rgb(0.35, 0.5, 0.55),
            SunTowards = new Vec3(0.1, -0.2, 1).Normalized(),
            SunColour = Rgb(0.6, 0.85, 0.85),
            FogColour = Rgb(0.05, 0.32, 0.4),
            FogPerMetre = Rgb(0.45, 0.14, 0.1),
            Particles = 1500,
            ParticleColour = Rgb(0.75, 0.9, 0.9),
            BlurSigmaPx = 1.3,
            Contrast = 0.75,
            Saturation = 0.85,
            Gain = Rgb(0.85, 1, 1),
            NoiseSigma = 0.02,
            Vignette = 0.35,
        },
        new()
        {
            Name = "night",
            Description = "dark: a torch on the camera and an orange street lamp, graffiti, strong sensor noise",
            Palette = [Bytes(220, 40, 60), Bytes(40, 180, 220), Bytes(240, 200, 40), Bytes(140, 60, 200), Bytes(60, 200, 90),
                Bytes(90, 90, 95), Bytes(150, 150, 150), Bytes(130, 70, 55)],
            WallFamilies = [Bricks, Blobs, Noise],
            FloorFamilies = [Noise, Cells],
            ObjectFamilies = [Blobs, Noise, Bricks, Stripes],
            PanelFamilies = [Blobs],
            Ambient = Rgb(0.03, 0.035, 0.06),
            SunColour = Rgb(0.06, 0.07, 0.12),
            LampColour = Rgb(0.9, 0.5, 0.2),
            TorchColour = Rgb(1.8, 1.7, 1.5),
            TorchHalfAngleDegrees = 28,
            Contrast = 1.1,
            Gain = Rgb(1, 1, 1.1),
            NoiseSigma = 0.07,
            Vignette = 0.5,
        },
        new()
        {
            Name = "desert",
            Description = "low warm sun, sandstone strata, cracked mud and adobe; high contrast, saturated, sharp",
            Palette = [Bytes(225, 190, 130), Bytes(200, 140, 70), Bytes(180, 90, 50), Bytes(240, 225, 190), Bytes(120, 80, 45),
                Bytes(140, 150, 100), Bytes(120, 170, 220)],
            WallFamilies = [Stripes, Cells, Bricks, Noise],
            FloorFamilies = [Noise, Cells],
            ObjectFamilies = [Stripes, Cells, Bricks, Noise],
            PanelFamilies = [Blobs, Stripes],
            Ambient = Rgb(0.28, 0.25, 0.22),
            SunTowards = new Vec3(-0.5, 0.35, 0.6).Normalized(),
            SunColour = Rgb(1.0, 0.88, 0.65),
            Contrast = 1.35,
            Saturation = 1.25,
            Sharpen = 0.8,
            Gain = Rgb(1.08, 1, 0.88),
            NoiseSigma = 0.006,
        },
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(d => d.Name)];

    /// <summary>The domain of that name (case-insensitive); an unknown name is a <see cref="DatasetException"/> listing the known ones.</summary>
    public static SyntheticDomain Get(string name) =>
        All.FirstOrDefault(d => d.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new DatasetException($"synthetic domain '{name}'", $"unknown; known domains: {string.Join(", ", Names)}");
}
