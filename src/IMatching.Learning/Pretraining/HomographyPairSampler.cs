using IMatching.Geometry.Linear;
using OpenCvSharp;

namespace IMatching.Learning.Pretraining;

/// <summary>
/// Makes a supervised pair from a single image: A is the image (or a random crop of it), B what a camera moved by a
/// random homography of A sees, and each gets its own photometric jitter. Everything random comes from the
/// caller's generator, so a seed fixes the pair exactly.
/// </summary>
public sealed class HomographyPairSampler
{
    /// <param name="cropSize">
    /// Pairs of this size cut from anywhere in the image, rather than the whole image: a network that is fully
    /// convolutional learns the same from a quarter of the pixels at a quarter of the cost. B's pixels come from the
    /// whole image, so a crop shows real content where a warp of the crop alone would show black.
    /// </param>
    public HomographyPairSampler(HomographyAugmentation? geometry = null, PhotometricAugmentation? appearance = null, (int Width, int Height)? cropSize = null)
    {
        Geometry = geometry ?? new HomographyAugmentation();
        Appearance = appearance ?? new PhotometricAugmentation();
        Geometry.Validate();
        Appearance.Validate();
        if (cropSize is { } c && (c.Width < 2 || c.Height < 2)) throw new ArgumentException($"Crop size {c.Width}x{c.Height} is below 2x2.", nameof(cropSize));
        CropSize = cropSize;
    }

    public HomographyAugmentation Geometry { get; }
    public PhotometricAugmentation Appearance { get; }
    public (int Width, int Height)? CropSize { get; }

    /// <returns>Images of the crop size (else the image's); <see cref="HomographyPair.BFromA"/> maps A's pixels to B's.</returns>
    public HomographyPair Sample(Mat image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        var (width, height) = CropSize ?? (image.Width, image.Height);
        if (width > image.Width || height > image.Height)
            throw new ArgumentException($"A {width}x{height} crop does not fit in a {image.Width}x{image.Height} image.", nameof(image));
        int left = random.Next(image.Width - width + 1), top = random.Next(image.Height - height + 1);
        var bFromA = RandomHomography.Sample(width, height, Geometry, random);
        // B's pixel x shows the image at crop-of-A⁻¹(bFromA⁻¹ x): warp the whole image by bFromA after A's crop offset.
        using Mat bFromImage = RandomHomography.ToMat(bFromA * new Mat3(1, 0, -left, 0, 1, -top, 0, 0, 1));
        using Mat crop = new(image, new Rect(left, top, width, height));
        // Black outside the image: no query can have its target there, and black teaches nothing false.
        using Mat warped = new();
        Cv2.WarpPerspective(image, warped, bFromImage, new Size(width, height), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        Mat a = PhotometricJitter.Apply(crop, Appearance, random);
        Mat b = PhotometricJitter.Apply(warped, Appearance, random);
        return new HomographyPair(a, b, bFromA);
    }
}
