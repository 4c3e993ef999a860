using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Backbones;

/// <summary>Reads a PyTorch <c>state_dict</c> file (<c>torch.save</c> zip format) into CPU tensors without loading it into a network.</summary>
internal static class PyTorchStateDict
{
    /// <summary>Key to tensor; the caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No weight file at '{path}'.", path);
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Key to tensor from an open <c>torch.save</c> stream; <paramref name="origin"/> names it in errors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, string origin)
    {
        string path = origin;
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true, skipTensorRead: false);
        var result = new Dictionary<string, Tensor>(table.Count);
        foreach (DictionaryEntry entry in table)
        {
            result[(string)entry.Key] = entry.Value as Tensor
                ?? throw new InvalidDataException($"'{path}': entry '{entry.Key}' is a {entry.Value?.GetType().FullName ?? "null"}, not a tensor.");
        }
        return result;
    }
}
