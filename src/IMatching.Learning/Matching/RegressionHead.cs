using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// Patch2Pix-style refinement of coarse matches: P x P fine-level descriptors around the query in A and around
/// the coarse cell in B, sampled every <see cref="SpacingCells"/> cells, go through the <see cref="RegressionNetwork"/>;
/// its offsets are bounded by tanh to the patch's half-width, so a refined point never leaves what the network saw.
/// </summary>
public sealed class RegressionHead(RegressionNetwork network, double spacingCells = RegressionHead.DefaultSpacingCells)
{
    public const double DefaultSpacingCells = 2;

    public RegressionNetwork Network { get; } = network ?? throw new ArgumentNullException(nameof(network));
    public double SpacingCells { get; } = spacingCells > 0 ? spacingCells : throw new ArgumentOutOfRangeException(nameof(spacingCells));

    /// <param name="queries">m x 2 pixels in A.</param>
    /// <param name="coarse">m x 2 pixels in B, the coarse matches (no gradient).</param>
    /// <returns>Fine points in B (m x 2 pixels) and inlier probabilities (m).</returns>
    public (Tensor Fine, Tensor Confidence) Refine(Tensor queries, Tensor coarse, FeatureLevel a, FeatureLevel b)
    {
        using var scope = NewDisposeScope();
        long m = queries.shape[0];
        if (m == 0)
            return scope.MoveToOuter(zeros(0, 2, device: queries.device), zeros(0, device: queries.device));

        Tensor offsets = PatchOffsets(queries.device);                                          // P² x 2 cells
        Tensor centres = b.ToCells(coarse);
        Tensor patchA = a.Sample(a.ToCells(queries).unsqueeze(1).Plus(offsets));                    // m x P² x D
        Tensor patchB = b.Sample(centres.unsqueeze(1).Plus(offsets), zerosOutside: true);
        int p = Network.PatchSize;
        Tensor input = cat([patchA, patchB], 2).permute(0, 2, 1).reshape(m, -1, p, p);
        Tensor output = Network.call(input);
        double reach = (p - 1) / 2.0 * SpacingCells;
        Tensor shift = output.narrow(1, 0, 2).tanh().Times(reach);
        Tensor fine = b.ToPixels(centres.Plus(shift));
        Tensor confidence = functional.sigmoid(output.select(1, 2));
        return scope.MoveToOuter(fine, confidence);
    }

    private Tensor PatchOffsets(Device device)
    {
        int p = Network.PatchSize;
        Tensor steps = ScalarArithmetic.Arange(p, ScalarType.Float32, device).Minus((p - 1) / 2f).Times((float)SpacingCells);
        Tensor[] grid = meshgrid([steps, steps], indexing: "ij");
        return stack([grid[1].reshape(-1), grid[0].reshape(-1)], 1);
    }
}
