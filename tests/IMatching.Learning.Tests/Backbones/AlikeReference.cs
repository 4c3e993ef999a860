using System.Text.Json;
using System.Text.Json.Serialization;
using IMatching.Learning.Backbones.Alike;

namespace IMatching.Learning.Tests.Backbones;

/// <summary>The reference PyTorch outputs in shared/fixtures/alike (see the README there).</summary>
public static class AlikeReference
{
    private static readonly Lazy<Dictionary<string, Net>> Nets = new(Read);

    public static string Folder => Path.Combine(RepoPaths.Shared, "fixtures", "alike");

    public static string ImagePath => Path.Combine(Folder, "tum0_320x240.png");

    public static string WeightsPath(AlikeVariant variant) =>
        Path.Combine(RepoPaths.Shared, "weights", "alike", AlikeConfig.For(variant).Name + ".pth");

    public static Net For(AlikeVariant variant) => Nets.Value[AlikeConfig.For(variant).Name];

    private static Dictionary<string, Net> Read()
    {
        string json = File.ReadAllText(Path.Combine(Folder, "alike_reference_tum0_320x240.json"));
        return JsonSerializer.Deserialize<Root>(json)!.Nets;
    }

    public sealed record Root([property: JsonPropertyName("nets")] Dictionary<string, Net> Nets);

    public sealed record Net(
        [property: JsonPropertyName("score_map_mean")] double ScoreMapMean,
        [property: JsonPropertyName("score_map_max")] double ScoreMapMax,
        [property: JsonPropertyName("samples")] List<Sample> Samples,
        [property: JsonPropertyName("keypoints_subpixel_dkd_radius2_th0.2")] Keypoints Keypoints);

    public sealed record Sample(
        [property: JsonPropertyName("x")] int X,
        [property: JsonPropertyName("y")] int Y,
        [property: JsonPropertyName("score")] float Score,
        [property: JsonPropertyName("descriptor")] float[] Descriptor);

    /// <summary><see cref="First50"/> rows are (x, y, score).</summary>
    public sealed record Keypoints(
        [property: JsonPropertyName("count")] int Count,
        [property: JsonPropertyName("first50_xy_score")] float[][] First50);
}
