using IMatching.Learning.Backbones.Caps;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// The CAPS ResUNet as a two-level backbone (coarse at 1/16, fine at 1/4). CAPS places both maps on the image
/// with align-corners normalisation (its <c>normalize</c> uses (W-1)/2 and grid_sample's corners): the first and
/// last cells sit on the first and last pixels, so a cell maps to pixel cell * (W-1)/(w-1). Its features were
/// trained under that convention, so it is kept here.
/// </summary>
public sealed class CapsBackbone(CapsNetwork network) : IDenseBackbone
{
    public CapsNetwork Network { get; } = network ?? throw new ArgumentNullException(nameof(network));
    public string Name => $"caps-{Network.Encoder.ToString().ToLowerInvariant()}";
    public Device Device => Network.parameters().First().device;
    public IReadOnlyList<Tensor> Parameters => [.. Network.parameters()];

    nn.Module IDenseBackbone.Network => Network;

    public void Train(bool on) => Network.train(on);

    public DenseFeatures Extract(Tensor images)
    {
        long height = images.shape[2], width = images.shape[3];
        CapsFeatureMaps maps = Network.call(images);
        return new DenseFeatures(AlignedCorners(maps.Coarse, width, height), AlignedCorners(maps.Fine, width, height), null);
    }

    private static FeatureLevel AlignedCorners(Tensor map, long imageWidth, long imageHeight) =>
        new(map, Scale(imageWidth, map.shape[3]), Scale(imageHeight, map.shape[2]), 0, 0);

    private static double Scale(long imageSide, long mapSide) => mapSide > 1 ? (imageSide - 1) / (double)(mapSide - 1) : 1;

    public void Dispose() => Network.Dispose();
}
