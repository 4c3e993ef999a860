namespace IMatching.Learning.Pretraining;

/// <summary>Settings of supervised pretraining on random homographies; the defaults train ALIKE-t from scratch.</summary>
public sealed record PretrainerOptions
{
    public int Steps { get; init; } = 1000;
    /// <summary>Adam's step size; from scratch 1e-3 learns fast, fine-tuning published weights wants about 1e-4.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Homography pairs in each step's batch (one forward pass over all their images).</summary>
    public int PairsPerStep { get; init; } = 2;
    /// <summary>Scale of the Huber point loss: errors beyond it pull with constant force.</summary>
    public double HuberScalePx { get; init; } = 2;
    /// <summary>Weight of the coarse-level term against the fine one.</summary>
    public double CoarseWeight { get; init; } = 1;
    /// <summary>Queries whose ground truth lies closer than this to B's border are not supervised.</summary>
    public double TargetMarginPx { get; init; } = HomographyTargets.DefaultMarginPx;
    /// <summary>Largest gradient norm an update may use; null leaves gradients unclipped.</summary>
    public double? GradientClipNorm { get; init; } = 1.0;
    public int CheckpointEvery { get; init; } = 100;
    /// <summary>Validation runs this often when validation is given (and at the end).</summary>
    public int ValidateEvery { get; init; } = 100;
    /// <summary>Checkpoints kept besides the best one.</summary>
    public int KeepCheckpoints { get; init; } = 2;
    public int Seed { get; init; }
    /// <summary>Every frame is resized to this before pairs are made; null keeps each frame's own size.</summary>
    public (int Width, int Height)? ImageSize { get; init; }
    /// <summary>Each pair is cut at this size from its frame (see <see cref="HomographyPairSampler"/>); null uses whole frames.</summary>
    public (int Width, int Height)? CropSize { get; init; }
    public HomographyAugmentation Geometry { get; init; } = new();
    public PhotometricAugmentation Appearance { get; init; } = new();

    internal void Validate()
    {
        if (Steps < 1) throw new ArgumentException("Steps must be at least 1.");
        if (PairsPerStep < 1) throw new ArgumentException("PairsPerStep must be at least 1.");
        if (!(LearningRate > 0)) throw new ArgumentException("The learning rate must be positive.");
        if (!(HuberScalePx > 0)) throw new ArgumentException("The Huber scale must be positive.");
        if (!(CoarseWeight >= 0)) throw new ArgumentException("The coarse weight must not be negative.");
        if (!(TargetMarginPx >= 0)) throw new ArgumentException("The target margin must not be negative.");
        if (CheckpointEvery < 1 || ValidateEvery < 1) throw new ArgumentException("CheckpointEvery and ValidateEvery must be at least 1.");
        if (ImageSize is { } size && (size.Width < 32 || size.Height < 32)) throw new ArgumentException($"Image size {size.Width}x{size.Height} is below 32x32.");
        if (CropSize is { } crop && (crop.Width < 32 || crop.Height < 32)) throw new ArgumentException($"Crop size {crop.Width}x{crop.Height} is below 32x32.");
        if (CropSize is { } c && ImageSize is { } s && (c.Width > s.Width || c.Height > s.Height))
            throw new ArgumentException($"Crop size {c.Width}x{c.Height} exceeds the image size {s.Width}x{s.Height}.");
        Geometry.Validate();
        Appearance.Validate();
    }
}
