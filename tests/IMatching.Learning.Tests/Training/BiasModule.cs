using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>The one learnable (x, y) offset of the stand-in matchers the training tests use.</summary>
internal sealed class BiasModule : nn.Module
{
    public readonly TorchSharp.Modules.Parameter Bias;

    public BiasModule(float x, float y) : base("bias")
    {
        Bias = new TorchSharp.Modules.Parameter(tensor(new[] { x, y }));
        register_parameter("bias", Bias);
    }
}
