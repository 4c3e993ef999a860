namespace IMatching.Learning.Pretraining;

/// <summary>
/// What homography pretraining computes per sample; the defaults train ALIKE-t from scratch (with
/// <see cref="IMatching.Learning.Training.TrainingOptions.Pretraining"/> for how it optimises).
/// </summary>
public sealed record PretrainerOptions
{
    /// <summary>Homography pairs in each step's batch (one forward pass over all their images).</summary>
    public int PairsPerStep { get; init; } = 2;
    /// <summary>Scale of the Huber point loss: errors beyond it pull with constant force.</summary>
    public double HuberScalePx { get; init; } = 2;
    /// <summary>Weight of the coarse-level term against the fine one.</summary>
    public double CoarseWeight { get; init; } = 1;
    /// <summary>Queries whose ground truth lies closer than this to B's border are not supervised.</summary>
    public double TargetMarginPx { get; init; } = HomographyTargets.DefaultMarginPx;
    /// <summary>Every frame is resized to this before pairs are made; null keeps each frame's own size.</summary>
    public (int Width, int Height)? ImageSize { get; init; }
    /// <summary>Each pair is cut at this size from its frame (see <see cref="HomographyPairSampler"/>); null uses whole frames.</summary>
    public (int Width, int Height)? CropSize { get; init; }
    public HomographyAugmentation Geometry { get; init; } = new();
    public PhotometricAugmentation Appearance { get; init; } = new();

    internal void Validate()
    {
        if (PairsPerStep < 1) throw new ArgumentException("PairsPerStep must be at least 1.");
        if (!(HuberScalePx > 0)) throw new ArgumentException("The Huber scale must be positive.");
        if (!(CoarseWeight >= 0)) throw new ArgumentException("The coarse weight must not be negative.");
        if (!(TargetMarginPx >= 0)) throw new ArgumentException("The target margin must not be negative.");
        if (ImageSize is { } size && (size.Width < 32 || size.Height < 32)) throw new ArgumentException($"Image size {size.Width}x{size.Height} is below 32x32.");
        if (CropSize is { } crop && (crop.Width < 32 || crop.Height < 32)) throw new ArgumentException($"Crop size {crop.Width}x{crop.Height} is below 32x32.");
        if (CropSize is { } c && ImageSize is { } s && (c.Width > s.Width || c.Height > s.Height))
            throw new ArgumentException($"Crop size {c.Width}x{c.Height} exceeds the image size {s.Width}x{s.Height}.");
        Geometry.Validate();
        Appearance.Validate();
    }
}
