using IMatching.Geometry;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// A published ALIKE network (the reference's <c>ALike</c>): <see cref="AlNet"/> plus the input padding to
/// multiples of 32, descriptor normalisation and keypoint detection. Its state-dict keys are the reference's,
/// so the official <c>alike-{t,s,n,l}.pth</c> files load unchanged.
/// </summary>
public sealed class AlikeNetwork : AlNet
{
    /// <summary>Builds an untrained network on the CPU.</summary>
    public AlikeNetwork(AlikeVariant variant) : base(AlikeConfig.For(variant)) => Variant = variant;

    /// <summary>Which published network this is.</summary>
    public AlikeVariant Variant { get; }

    /// <summary>
    /// Loads official weights (a PyTorch <c>state_dict</c> saved with <c>torch.save</c>) with strict checking and
    /// returns the network on <paramref name="device"/> (CPU when null) in evaluation mode.
    /// </summary>
    /// <exception cref="StateDictMismatchException">The file's keys or shapes are not those of <paramref name="variant"/>.</exception>
    public static AlikeNetwork Load(string path, AlikeVariant variant, Device? device = null) =>
        Load(variant, device, network => StateDictLoader.LoadFile(network, path));

    /// <summary>The official weights shipped inside this library (<see cref="OfficialAlikeWeights"/>), in evaluation mode.</summary>
    /// <exception cref="UserInputException">This variant's weights are not shipped.</exception>
    public static AlikeNetwork LoadOfficial(AlikeVariant variant, Device? device = null) =>
        Load(variant, device, network =>
        {
            using Stream stream = OfficialAlikeWeights.Open(variant);
            StateDictLoader.LoadStream(network, stream, OfficialAlikeWeights.Origin(variant));
        });

    private static AlikeNetwork Load(AlikeVariant variant, Device? device, Action<AlikeNetwork> loadWeights)
    {
        var network = new AlikeNetwork(variant);
        try
        {
            loadWeights(network);
            network.to(device ?? CPU);
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Dense maps of an RGB batch (Bx3xHxW, float32 in [0,1], no further normalisation) at input resolution.
    /// The input is zero-padded on the bottom and right to multiples of 32 and the maps are cropped back.
    /// </summary>
    public AlikeDenseMaps ExtractDenseMap(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"Expected a Bx3xHxW RGB batch, got [{string.Join(", ", image.shape)}].", nameof(image));

        using var scope = NewDisposeScope();
        long height = image.shape[2], width = image.shape[3];
        Tensor padded = PadToMultipleOf32(image);
        var (scores, descriptors) = forward(padded);
        var maps = CroppedAndNormalised(scores, descriptors, height, width);
        return new AlikeDenseMaps(maps.Scores.MoveToOuterDisposeScope(), maps.Descriptors.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The head's maps of a padded input (or of rows of one) cropped back to <paramref name="height"/> x
    /// <paramref name="width"/>, the descriptors L2-normalised: the last steps of <see cref="ExtractDenseMap"/>.
    /// </summary>
    internal static AlikeDenseMaps CroppedAndNormalised(Tensor scores, Tensor descriptors, long height, long width)
    {
        // Cropped only when padded: even a crop to the full size builds a full-size zero gradient in the backward pass.
        if (scores.shape[2] != height || scores.shape[3] != width)
        {
            scores = scores[.., .., ..(int)height, ..(int)width];
            descriptors = descriptors[.., .., ..(int)height, ..(int)width];
        }
        return new AlikeDenseMaps(scores, functional.normalize(descriptors, p: 2, dim: 1));
    }

    /// <summary>Keypoints of every image of an RGB batch (see <see cref="ExtractDenseMap"/> for the input).</summary>
    public IReadOnlyList<AlikeKeypoints> Detect(Tensor image, DkdOptions? options = null)
    {
        using AlikeDenseMaps maps = ExtractDenseMap(image);
        return DifferentiableKeypointDetector.Detect(maps.Scores, maps.Descriptors, options ?? Config.Detection);
    }

    /// <summary>The input zero-padded on the bottom and right to sides that are multiples of 32, as the encoder needs.</summary>
    internal static Tensor PadToMultipleOf32(Tensor image) => functional.pad(image, [0, PadTo32(image.shape[3]), 0, PadTo32(image.shape[2])]);

    private static long PadTo32(long side) => (32 - side % 32) % 32;
}
