using System.Text;
using IMatching.Geometry;
using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>Strict comparison of a loaded state dict with the one a module expects (names and shapes).</summary>
internal static class StateDictMatch
{
    /// <exception cref="UserInputException">Any key is missing, unexpected or of another shape; the message lists them all.</exception>
    public static void Require(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> loaded, string source)
    {
        var missing = expected.Keys.Where(k => !loaded.ContainsKey(k)).ToList();
        var unexpected = loaded.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var wrongShape = expected
            .Where(e => loaded.TryGetValue(e.Key, out Tensor? t) && !t.shape.SequenceEqual(e.Value.shape))
            .Select(e => $"{e.Key} (file {Shape(loaded[e.Key])}, network {Shape(e.Value)})")
            .ToList();
        if (missing.Count == 0 && unexpected.Count == 0 && wrongShape.Count == 0)
            return;

        var message = new StringBuilder("does not match the network's state dict.");
        Append(message, "missing keys", missing);
        Append(message, "unexpected keys", unexpected);
        Append(message, "wrong shapes", wrongShape);
        throw new UserInputException(source, message.ToString());
    }

    private static void Append(StringBuilder message, string label, List<string> items)
    {
        if (items.Count > 0)
            message.Append($" {char.ToUpperInvariant(label[0])}{label[1..]} ({items.Count}): {string.Join(", ", items)}.");
    }

    private static string Shape(Tensor t) => t.dim() == 0 ? "scalar" : string.Join("x", t.shape);
}
