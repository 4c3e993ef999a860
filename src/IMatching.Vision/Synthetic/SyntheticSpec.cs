using System.Globalization;
using IMatching.Vision.Datasets;

namespace IMatching.Vision.Synthetic;

/// <summary>
/// The path part of <c>synthetic:NAME[?frames=N&amp;seed=S&amp;size=WxH&amp;speed=V]</c>: a domain and what to render of
/// it (defaults: 100 frames, seed 1, 640x480, speed 1 = about 2.2 cm and 0.8 degrees per frame). The data spec's
/// <c>#FIRST-LAST</c> range comes after it.
/// </summary>
internal sealed record SyntheticSpec(string Domain, int Frames, int Seed, int Width, int Height, double Speed = 1)
{
    private const string Usage = "expected synthetic:NAME[?frames=N&seed=S&size=WxH&speed=V]";

    public static SyntheticSpec Parse(string text)
    {
        int question = text.IndexOf('?');
        string name = (question < 0 ? text : text[..question]).Trim();
        var spec = new SyntheticSpec(SyntheticDomains.Get(name).Name, 100, 1, 640, 480);
        if (question < 0) return spec;
        foreach (string pair in text[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            string key = equals < 0 ? pair : pair[..equals].Trim().ToLowerInvariant(), value = equals < 0 ? "" : pair[(equals + 1)..].Trim();
            spec = key switch
            {
                "frames" => spec with { Frames = Positive(text, key, value) },
                "seed" => spec with { Seed = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed) ? seed : throw Error(text, $"seed '{value}' is not an integer") },
                "size" => WithSize(spec, text, value),
                "speed" => spec with { Speed = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double speed) && speed > 0 && double.IsFinite(speed) ? speed : throw Error(text, $"speed '{value}' is not a positive number") },
                _ => throw Error(text, $"unknown option '{key}'; options: frames, seed, size, speed"),
            };
        }
        return spec;
    }

    /// <summary>The cache folder's name, which is also the sequence's name.</summary>
    public string FolderName => string.Create(CultureInfo.InvariantCulture, $"{Domain}-{Frames}-{Seed}-{Width}x{Height}{(Speed == 1 ? "" : $"-speed{Speed}")}");

    private static SyntheticSpec WithSize(SyntheticSpec spec, string text, string value)
    {
        string[] parts = value.Split('x', 'X');
        if (parts.Length != 2) throw Error(text, $"size '{value}' is not WxH (e.g. 640x480)");
        return spec with { Width = Positive(text, "width", parts[0]), Height = Positive(text, "height", parts[1]) };
    }

    private static int Positive(string text, string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n : throw Error(text, $"{key} '{value}' is not a positive integer");

    private static DatasetException Error(string text, string problem) => new($"synthetic '{text}'", $"{problem}; {Usage}");
}
