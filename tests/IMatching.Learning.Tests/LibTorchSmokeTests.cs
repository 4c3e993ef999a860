using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests;

/// <summary>Proves that TorchSharp's native shim and libtorch load in this output folder (see build/PatchLibTorchSharp.targets).</summary>
public class LibTorchSmokeTests
{
    [Fact]
    public void Autograd_of_weighted_sum_yields_inputs_as_gradient()
    {
        using var scope = NewDisposeScope();
        Tensor x = tensor(new float[] { 1f, -2f, 3.5f });
        Tensor w = tensor(new float[] { 0.5f, 4f, -1f }, requires_grad: true);

        Tensor y = (w * x).sum();
        y.backward();

        Assert.Equal(0.5f - 8f - 3.5f, y.item<float>(), 5);
        Assert.NotNull(w.grad);
        Assert.Equal(x.data<float>().ToArray(), w.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Cpu_only_runtime_reports_no_cuda()
    {
        // libtorch-cpu-linux-x64 is referenced; this also exercises the native entry point without tensors.
        Assert.False(torch.cuda.is_available());
    }
}
