using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.MultiView;

namespace IMatching.Geometry.Tests.MultiView;

/// <summary>RANSAC's four-at-a-time Sampson distances are EssentialMatrix.SampsonSquared's, to the bit.</summary>
public class SampsonDistancesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(11)]
    public void EachMatchsDistanceIsTheScalarOnesToTheBit(int n)
    {
        var rng = new Random(n);
        var a = new Vec2[n];
        var b = new Vec2[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = new Vec2(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
            b[i] = new Vec2(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        }
        var distances = new SampsonDistances(a, b);
        Assert.Equal(n, distances.Count);
        Mat3[] matrices =
        [
            EssentialMatrix.FromPose(new Se3(So3.Exp(new Vec3(0.1, -0.2, 0.05)), new Vec3(0.6, 0.3, -0.7).Normalized())),
            new(rng.NextDouble(), -rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), rng.NextDouble(), -rng.NextDouble(),
                rng.NextDouble(), rng.NextDouble(), rng.NextDouble()),
            // Zero denominator everywhere: the scalar formula's +inf.
            new(0, 0, 0, 0, 0, 0, 0, 0, 0),
        ];
        foreach (var e in matrices)
            for (int first = 0; first < n; first += 4)
            {
                var four = distances.Four(e, first);
                for (int k = 0; k < 4 && first + k < n; k++)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(EssentialMatrix.SampsonSquared(e, a[first + k], b[first + k])),
                        BitConverter.DoubleToInt64Bits(four[k]));
            }
    }

    [Fact]
    public void ANonFiniteMatchIsInfinitelyFarAsInTheScalarFormula()
    {
        Vec2[] a = [new(double.NaN, 0.1), new(0.1, 0.2)];
        Vec2[] b = [new(0.2, 0.1), new(double.PositiveInfinity, 0.3)];
        var e = EssentialMatrix.FromPose(new Se3(So3.Exp(new Vec3(0.1, 0, 0)), new Vec3(1, 0, 0)));
        var four = new SampsonDistances(a, b).Four(e, 0);
        for (int k = 0; k < 2; k++)
            Assert.Equal(EssentialMatrix.SampsonSquared(e, a[k], b[k]), four[k]);
        Assert.Equal(double.PositiveInfinity, four[0]);
    }
}
