using IMatching.Geometry.Lie;
using IMatching.Geometry.Linear;
using IMatching.Geometry.Tests.Lie;
using IMatching.Geometry.Tests.TestSupport;

namespace IMatching.Geometry.Tests.Linear;

public class Svd3Tests
{
    /// <summary>A = U diag(S) V^T, U and V orthogonal, S non-negative and descending.</summary>
    private static void AssertValid(Mat3 a, Svd3 svd, double tolerance)
    {
        var reconstructed = svd.U * Mat3.Diagonal(svd.S.X, svd.S.Y, svd.S.Z) * svd.V.Transpose();
        double scale = Math.Max(1, a.FrobeniusNorm);
        Assert.True((reconstructed - a).FrobeniusNorm <= tolerance * scale, $"reconstruction error {(reconstructed - a).FrobeniusNorm:G3}");
        Approx.Equal(Mat3.Identity, svd.U.Transpose() * svd.U, tolerance, "U^T U");
        Approx.Equal(Mat3.Identity, svd.V.Transpose() * svd.V, tolerance, "V^T V");
        Assert.True(svd.S.X >= svd.S.Y && svd.S.Y >= svd.S.Z && svd.S.Z >= 0, $"singular values {svd.S}");
    }

    private static Mat3 RandomMatrix(Random rng, double magnitude) => magnitude * new Mat3(
        2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1,
        2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1,
        2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1);

    [Fact]
    public void RandomMatricesAreDecomposed()
    {
        var rng = new Random(11);
        for (int i = 0; i < 200; i++)
        {
            var a = RandomMatrix(rng, Math.Pow(10, rng.Next(-6, 7)));
            AssertValid(a, Svd3.Decompose(a), 1e-13);
        }
    }

    [Fact]
    public void KnownSingularValuesAreRecoveredIncludingTinyOnes()
    {
        var rng = new Random(5);
        foreach (var s in new[] { new Vec3(3, 2, 1), new Vec3(5, 5, 1e-9), new Vec3(1, 1e-7, 1e-12), new Vec3(2, 2, 2) })
        {
            var left = So3.Exp(LieTestData.RandomRotationVector(rng, Math.PI));
            var right = So3.Exp(LieTestData.RandomRotationVector(rng, Math.PI));
            var a = left * Mat3.Diagonal(s.X, s.Y, s.Z) * right.Transpose();
            var svd = Svd3.Decompose(a);
            AssertValid(a, svd, 1e-14);
            // One-sided Jacobi keeps small singular values to precision relative to the largest, not squared.
            Approx.Equal(s, svd.S, 1e-14);
        }
    }

    [Fact]
    public void RankDeficientMatricesKeepOrthogonalFactors()
    {
        var u = new Vec3(1, 2, 3).Normalized();
        var v = new Vec3(-2, 0.5, 1).Normalized();
        var w = new Vec3(0, 1, -1).Normalized();
        foreach (var a in new[] { Mat3.Zero, Mat3.Outer(u, v), Mat3.Outer(u, v) + 0.5 * Mat3.Outer(v, w), Mat3.Diagonal(4, -2, 0) })
            AssertValid(a, Svd3.Decompose(a), 1e-14);
    }

    [Fact]
    public void ReflectionsAndPermutationsAreDecomposed()
    {
        foreach (var a in new[] { Mat3.Diagonal(1, 1, -1), Mat3.Diagonal(-3, 2, -1), new Mat3(0, 1, 0, 1, 0, 0, 0, 0, 1), new Mat3(0, 0, 2, 0, -5, 0, 1, 0, 0) })
            AssertValid(a, Svd3.Decompose(a), 1e-15);
    }

    [Fact]
    public void NonFiniteMatrixIsRefused() =>
        Assert.Throws<ArgumentException>(() => Svd3.Decompose(Mat3.Identity with { M12 = double.NaN }));
}
