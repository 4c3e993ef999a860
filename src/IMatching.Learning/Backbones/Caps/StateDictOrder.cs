using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>
/// Lists a module's state the way PyTorch's <c>state_dict()</c> orders it (each module's own parameters, then its
/// persistent buffers, then its children in registration order). TorchSharp's own <c>state_dict()</c> puts every
/// parameter of the tree before any buffer, so files it writes would read differently from PyTorch's.
/// </summary>
internal static class StateDictOrder
{
    public static IEnumerable<(string Name, Tensor Value)> Entries(nn.Module module, string prefix = "")
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
            yield return (prefix + name, parameter);
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
            yield return (prefix + name, buffer);
        foreach (var (name, child) in module.named_children())
        {
            foreach (var entry in Entries(child, $"{prefix}{name}."))
                yield return entry;
        }
    }
}
