namespace IMatching.Vision.Synthetic;

/// <summary>The kinds of procedural pattern a domain draws its surfaces from.</summary>
public enum TextureFamily
{
    /// <summary>Warped fractal noise: plaster, concrete, sand, stains.</summary>
    Noise,
    /// <summary>Bricks or tiles with joints.</summary>
    Bricks,
    /// <summary>Wood planks or rock strata.</summary>
    Stripes,
    /// <summary>Graffiti and posters: coloured ellipses.</summary>
    Blobs,
    /// <summary>Cellular stones, cobbles, cracked mud.</summary>
    Cells,
}
