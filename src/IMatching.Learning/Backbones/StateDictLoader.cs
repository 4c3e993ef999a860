using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones;

/// <summary>
/// Strict state-dict loading: the keys must be exactly the module's and every shape must match, otherwise nothing
/// is copied and a <see cref="StateDictMismatchException"/> names all offending keys at once.
/// </summary>
public static class StateDictLoader
{
    /// <summary>Loads a PyTorch <c>state_dict</c> file into <paramref name="module"/>.</summary>
    public static void LoadFile(Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        LoadAndDispose(module, PyTorchStateDict.Read(path), path);
    }

    /// <summary>Loads a PyTorch <c>state_dict</c> stream (e.g. an embedded resource); <paramref name="origin"/> names it in errors.</summary>
    public static void LoadStream(Module module, Stream stream, string origin)
    {
        ArgumentNullException.ThrowIfNull(module);
        LoadAndDispose(module, PyTorchStateDict.Read(stream, origin), origin);
    }

    private static void LoadAndDispose(Module module, Dictionary<string, Tensor> source, string origin)
    {
        try
        {
            Load(module, source, origin);
        }
        finally
        {
            foreach (Tensor tensor in source.Values)
                tensor.Dispose();
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="module"/>; <paramref name="origin"/> names the source in errors.</summary>
    public static void Load(Module module, IReadOnlyDictionary<string, Tensor> source, string origin)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(source);
        Dictionary<string, Tensor> destination = module.state_dict();

        var missing = destination.Keys.Where(key => !source.ContainsKey(key)).ToList();
        var unexpected = source.Keys.Where(key => !destination.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();
        var wrongShape = destination
            .Where(entry => source.TryGetValue(entry.Key, out Tensor? loaded) && !loaded.shape.SequenceEqual(entry.Value.shape))
            .Select(entry => $"{entry.Key} (file [{string.Join(", ", source[entry.Key].shape)}], network [{string.Join(", ", entry.Value.shape)}])")
            .ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || wrongShape.Count > 0)
            throw new StateDictMismatchException(origin, missing, unexpected, wrongShape);

        using var noGrad = no_grad();
        foreach (var (key, target) in destination)
            target.copy_(source[key]);
    }
}
