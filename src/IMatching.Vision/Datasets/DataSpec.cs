using System.Globalization;
using System.Text.RegularExpressions;
using IMatching.Vision.Synthetic;

namespace IMatching.Vision.Datasets;

/// <summary>
/// Names a dataset on the command line: <c>KIND:PATH[#FIRST-LAST]</c>, e.g. <c>tum:../shared/data/tum_fr2_desk#12-19</c>
/// (frames 12 to 19 inclusive, re-indexed from 0). <see cref="Path"/> is a folder or file for every kind but
/// generated ones, where it names the scene, e.g. <c>synthetic:office?frames=50&amp;seed=2#10-19</c>.
/// </summary>
public sealed partial record DataSpec(string Kind, string Path, int? First = null, int? Last = null)
{
    private const string HomographyKind = "homography";

    /// <summary>
    /// Sequence kinds and their readers. New kinds register here; everything else
    /// (parsing, ranges, error messages listing the kinds) follows.
    /// </summary>
    private static readonly Dictionary<string, Func<string, Sequence>> SequenceReaders = new()
    {
        ["tum"] = path => TumReader.Read(path),
        ["kitti"] = KittiReader.Read,
        ["euroc"] = EurocReader.Read,
        ["tartanair"] = TartanAirReader.Read,
        ["eth3d"] = Eth3dReader.Read,
        ["folder"] = ImageFolderReader.Read,
        ["video"] = VideoReader.Read,
        ["synthetic"] = SyntheticCache.Open,
    };

    public static IReadOnlyList<string> Kinds { get; } = [.. SequenceReaders.Keys, HomographyKind];

    public bool IsHomographySet => Kind == HomographyKind;

    public static DataSpec Parse(string text)
    {
        int colon = text.IndexOf(':');
        if (colon <= 0) throw new DatasetException($"data spec '{text}'", $"expected KIND:PATH[#FIRST-LAST] with KIND one of {string.Join(", ", Kinds)}");
        string kind = text[..colon].Trim().ToLowerInvariant();
        if (!Kinds.Contains(kind)) throw new DatasetException($"data spec '{text}'", $"unknown kind '{kind}'; valid kinds: {string.Join(", ", Kinds)}");
        string path = text[(colon + 1)..];
        int hash = path.LastIndexOf('#');
        // Only a suffix that looks like a range is one: paths may contain '#' elsewhere.
        if (hash < 0 || !RangeLike().IsMatch(path[(hash + 1)..])) return Validated(text, new DataSpec(kind, path));
        var range = Range().Match(path[(hash + 1)..]);
        if (!range.Success) throw new DatasetException($"data spec '{text}'", $"frame range '{path[(hash + 1)..]}' is not FIRST-LAST (e.g. #12-19)");
        int first = int.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), last = int.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture);
        if (last < first) throw new DatasetException($"data spec '{text}'", $"frame range {first}-{last} ends before it starts");
        return Validated(text, new DataSpec(kind, path[..hash], first, last));
    }

    private static DataSpec Validated(string text, DataSpec spec)
    {
        if (spec.Path.Length == 0) throw new DatasetException($"data spec '{text}'", $"no path after '{spec.Kind}:'");
        if (spec.IsHomographySet && spec.First is not null) throw new DatasetException($"data spec '{text}'", "a homography set takes no frame range");
        return spec;
    }

    public Sequence OpenSequence()
    {
        if (IsHomographySet) throw new DatasetException(ToString(), "is a homography set, not a sequence");
        var sequence = SequenceReaders[Kind](Path);
        if (First is not int first || Last is not int last) return sequence;
        // Checked here, where the spec is known, so the error names what the user typed.
        if (last >= sequence.Count)
            throw new DatasetException(ToString(), $"frame range {first}-{last} is outside the sequence (frames 0-{sequence.Count - 1})");
        return sequence.Slice(first, last);
    }

    public HomographySet OpenHomographySet() =>
        IsHomographySet ? HomographySetReader.Read(Path) : throw new DatasetException(ToString(), "is a sequence, not a homography set");

    public override string ToString() => First is null ? $"{Kind}:{Path}" : $"{Kind}:{Path}#{First}-{Last}";

    [GeneratedRegex(@"^[\d\s-]+$")]
    private static partial Regex RangeLike();

    [GeneratedRegex(@"^\s*(\d+)\s*-\s*(\d+)\s*$")]
    private static partial Regex Range();
}
