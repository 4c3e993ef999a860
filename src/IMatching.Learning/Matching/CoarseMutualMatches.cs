using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// Coarse matches by mutual nearest neighbour on the low-resolution correlation between the queries' descriptors
/// and every cell of the other image: query i keeps cell j only when i is also j's most similar query.
/// </summary>
internal static class CoarseMutualMatches
{
    /// <returns>Indices of the kept queries (m) and the pixel centres of their cells in B (m x 2), without gradients.</returns>
    public static (Tensor Kept, Tensor CellPixels) Find(Tensor queries, FeatureLevel a, FeatureLevel b)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (queries.shape[0] == 0)
            return scope.MoveToOuter(zeros(0, dtype: ScalarType.Int64, device: queries.device), zeros(0, 2, device: queries.device));
        Tensor descriptors = a.Sample(a.ToCells(queries));
        Tensor similarity = descriptors.matmul(b.Map[0].reshape(b.Map.shape[1], -1));       // n x hw
        Tensor forward = similarity.argmax(1);
        Tensor backward = similarity.argmax(0);
        Tensor kept = backward.index_select(0, forward).eq(ScalarArithmetic.Arange(queries.shape[0], ScalarType.Int64, queries.device)).nonzero().view(-1);
        Tensor cells = b.CellPixels().index_select(0, forward.index_select(0, kept));
        return scope.MoveToOuter(kept, cells);
    }
}
