using IMatching.Geometry.RobustLosses;

namespace IMatching.Geometry.Tests.BundleAdjustment;

public class RobustLossRegistryTests
{
    [Fact]
    public void EveryRegisteredKindRoundTripsThroughItsName()
    {
        foreach (var kind in RobustLossRegistry.KindNames)
        {
            var loss = RobustLossRegistry.Parse(kind + ":2.5")!;
            Assert.Equal(kind, loss.Kind);
            Assert.Equal(2.5, loss.Scale);
            Assert.Equal(loss.Name, RobustLossRegistry.Parse(loss.Name)!.Name);
        }
    }

    [Fact]
    public void AnUnknownKindNamesTheRegisteredOnes()
    {
        var e = Assert.Throws<FormatException>(() => RobustLossRegistry.Parse("tukey:1"));
        Assert.Contains("huber:SCALE", e.Message);
        Assert.Contains("cauchy:SCALE", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(7.0)]
    public void KernelsAreSquaresNearZeroAndJetsMatchTheirClosedForms(double s)
    {
        // rho(s) ~ s near 0 for every kernel (rho'(0) = 1); Huber and Cauchy in closed form.
        foreach (var kind in RobustLossRegistry.KindNames) Assert.Equal(1, RobustLossRegistry.Parse(kind + ":1")!.Evaluate(0).Rho1, 12);
        var (huber, huber1, huber2) = new HuberLoss(1).Evaluate(s);
        Assert.Equal(s <= 1 ? s : 2 * Math.Sqrt(s) - 1, huber, 12);
        Assert.Equal(s <= 1 ? 1 : 1 / Math.Sqrt(s), huber1, 12);
        Assert.Equal(s <= 1 ? 0 : -0.5 / (s * Math.Sqrt(s)), huber2, 12);
        var (cauchy, cauchy1, cauchy2) = new CauchyLoss(1).Evaluate(s);
        Assert.Equal(Math.Log(1 + s), cauchy, 12);
        Assert.Equal(1 / (1 + s), cauchy1, 12);
        Assert.Equal(-1 / ((1 + s) * (1 + s)), cauchy2, 12);
    }
}
