using System.Collections;
using IMatching.Geometry;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>
/// The file layout of the official CAPS checkpoints: a <c>torch.save</c>d dict <c>{'step': int, 'state_dict': {...}}</c>.
/// PyBridge's module loaders only accept a flat state dict, so the outer dict is unpickled and unwrapped here.
/// </summary>
internal static class CapsCheckpoint
{
    public const string StateDictKey = "state_dict";
    public const string StepKey = "step";

    /// <summary>Reads the state dict (CPU tensors, owned by the caller's dispose scope).</summary>
    /// <exception cref="UserInputException">The file is not a dict holding a <c>state_dict</c> of tensors.</exception>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        Hashtable top = PyTorchStateDict.Unpickle(path);

        if (top[StateDictKey] is not IDictionary stateDict)
            throw new UserInputException(path, $"not a CAPS checkpoint: it has no '{StateDictKey}' dict");

        var result = new Dictionary<string, Tensor>(stateDict.Count);
        foreach (DictionaryEntry entry in stateDict)
        {
            if (entry.Key is not string name || entry.Value is not Tensor value)
                throw new UserInputException(path, $"entry '{entry.Key}' of '{StateDictKey}' is not a named tensor");
            result.Add(name, value);
        }
        return result;
    }

    /// <summary>Writes <paramref name="entries"/> (kept in their order) so that <c>torch.load</c> returns the same layout.</summary>
    public static void Write(string path, long step, IEnumerable<(string Name, Tensor Value)> entries)
    {
        var stateDict = new System.Collections.Specialized.OrderedDictionary();
        foreach (var (name, value) in entries)
            stateDict.Add(name, value);

        var top = new Hashtable { [StepKey] = step, [StateDictKey] = stateDict };
        using FileStream stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, top);
    }
}
