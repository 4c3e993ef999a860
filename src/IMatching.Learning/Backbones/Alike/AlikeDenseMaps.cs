using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>Dense ALIKE outputs at input resolution; owns both tensors.</summary>
/// <param name="Scores">Bx1xHxW keypoint scores in (0,1).</param>
/// <param name="Descriptors">BxDxHxW descriptors, unit L2 norm over D at every pixel.</param>
public sealed record AlikeDenseMaps(Tensor Scores, Tensor Descriptors) : IDisposable
{
    public void Dispose()
    {
        Scores.Dispose();
        Descriptors.Dispose();
    }
}
