using IMatching.Geometry.RobustLosses;
using IMatching.Learning.Training;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>One kernel, two arithmetics: the solver's rho and rho' (doubles, by jets) equal the loss's rho and its autograd gradient (tensors).</summary>
public class RobustKernelAgreementTests
{
    public static TheoryData<string> Losses => new() { "huber:1", "huber:1.5", "cauchy:1", "cauchy:0.5" };

    [Theory]
    [MemberData(nameof(Losses))]
    public void TensorValuesAndGradientsEqualTheSolversKernel(string spec)
    {
        var loss = RobustLossRegistry.Parse(spec)!;
        double[] squaredNorms = [0, 0.04, 0.81, 1.9, 2.6, 9, 400];
        using var scope = NewDisposeScope();
        var s = tensor(squaredNorms, ScalarType.Float64).requires_grad_();
        var rho = loss.Rho(new TensorKernelArithmetic(s)).Value;
        rho.sum().backward();
        for (int i = 0; i < squaredNorms.Length; i++)
        {
            var (value, rho1, _) = loss.Evaluate(squaredNorms[i]);
            Assert.Equal(value, rho[i].item<double>(), 1e-12);
            Assert.Equal(rho1, s.grad![i].item<double>(), 1e-12);
        }
        Assert.False(s.grad!.isnan().any().item<bool>());
    }
}
