using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>A backbone and a head with weights, registered as <c>backbone</c> and <c>head</c> so one state dict (and one optimiser) covers both.</summary>
public sealed class MatcherNetwork : nn.Module
{
    public MatcherNetwork(nn.Module backbone, nn.Module head) : base("matcher")
    {
        register_module("backbone", backbone);
        register_module("head", head);
    }
}
