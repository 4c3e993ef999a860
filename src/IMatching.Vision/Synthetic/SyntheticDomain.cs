using IMatching.Geometry.Linear;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// The appearance of one synthetic domain: which patterns and colours surfaces take, how the room is lit, what the
/// water or air between does and what the camera adds. Colours are (red, green, blue) in [0, 1]; light colours may
/// exceed 1 (they scale albedo). Geometry (room, objects, trajectory) depends only on the seed, so one seed
/// rendered in two domains shows the same layout in two appearances.
/// </summary>
public sealed record SyntheticDomain
{
    public required string Name { get; init; }
    public required string Description { get; init; }

    public required Vec3[] Palette { get; init; }
    public required TextureFamily[] WallFamilies { get; init; }
    public required TextureFamily[] FloorFamilies { get; init; }
    public required TextureFamily[] ObjectFamilies { get; init; }
    /// <summary>Families of the posters hung on the walls and of free-standing panels.</summary>
    public required TextureFamily[] PanelFamilies { get; init; }

    public required Vec3 Ambient { get; init; }
    /// <summary>Direction towards the sun (world, z up); its colour, zero for none.</summary>
    public Vec3 SunTowards { get; init; } = new(0, 0, 1);
    public Vec3 SunColour { get; init; }
    /// <summary>A lamp under the ceiling; zero for none.</summary>
    public Vec3 LampColour { get; init; }
    /// <summary>A torch at the camera pointing along its axis (a spot light); zero for none.</summary>
    public Vec3 TorchColour { get; init; }
    public double TorchHalfAngleDegrees { get; init; } = 25;

    /// <summary>
    /// Colour the medium tends to with distance, and its extinction per metre for each channel (water absorbs red
    /// first); zero extinction for clear air.
    /// </summary>
    public Vec3 FogColour { get; init; }
    public Vec3 FogPerMetre { get; init; }

    /// <summary>Floating particles (marine snow, dust) in the room, drawn as small bright discs.</summary>
    public int Particles { get; init; }
    public Vec3 ParticleColour { get; init; } = new(1, 1, 1);

    public double BlurSigmaPx { get; init; }
    /// <summary>Unsharp-mask strength (0 for none).</summary>
    public double Sharpen { get; init; }
    /// <summary>Contrast about mid-grey and saturation about each pixel's grey (1 leaves them).</summary>
    public double Contrast { get; init; } = 1;
    public double Saturation { get; init; } = 1;
    /// <summary>Per-channel gain: white balance and exposure.</summary>
    public Vec3 Gain { get; init; } = new(1, 1, 1);
    /// <summary>Standard deviation of the per-pixel Gaussian sensor noise, in [0, 1] units.</summary>
    public double NoiseSigma { get; init; }
    /// <summary>Fraction of brightness lost at the image corners.</summary>
    public double Vignette { get; init; }
}
