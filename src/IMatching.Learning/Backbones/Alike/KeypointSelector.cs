using TorchSharp;
using static TorchSharp.torch;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// The non-differentiable half of DKD: which pixels become keypoints. NMS, an empty border of radius + 1 pixels
/// (radius on the far sides, as the reference does), then top-k or a score threshold with a cap.
/// </summary>
internal static class KeypointSelector
{
    /// <summary>Per image, the flat (y * W + x) indices of the selected pixels, in row-major order unless top-k or the cap re-sorts them by score.</summary>
    public static Tensor[] Select(Tensor scoresMap, DkdOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long batch = scoresMap.shape[0], height = scoresMap.shape[2], width = scoresMap.shape[3];
        int r = options.Radius;

        // The reference hard-codes 2 for this NMS radius but uses the configured radius everywhere else; every
        // published setting is 2, so one radius throughout is the same thing.
        Tensor nms = SimpleNms.Apply(scoresMap.detach(), r);
        using (Scalar zero = 0f.ToScalar())
        {
            nms.narrow(2, 0, r + 1).fill_(zero);
            nms.narrow(3, 0, r + 1).fill_(zero);
            nms.narrow(2, height - r, r).fill_(zero);
            nms.narrow(3, width - r, r).fill_(zero);
        }
        Tensor flat = nms.reshape(batch, -1);

        if (options.TopK > 0)
        {
            Tensor top = flat.topk(options.TopK, dim: 1).indexes;
            return KeepAll(Enumerable.Range(0, (int)batch).Select(b => top[b]));
        }

        using Scalar threshold = options.ScoreThreshold.ToScalar();
        Tensor masks = options.ScoreThreshold > 0 ? flat.gt(threshold) : AboveMean(scoresMap, flat);
        if (!masks.any().item<bool>())
            masks = AboveMean(scoresMap, flat);

        Tensor scores = scoresMap.detach().reshape(batch, -1);
        return KeepAll(Enumerable.Range(0, (int)batch).Select(b => Capped(masks[b].nonzero().view(-1), scores[b], options.MaxKeypoints)));
    }

    private static Tensor AboveMean(Tensor scoresMap, Tensor flatNms)
    {
        Tensor mean = scoresMap.detach().reshape(flatNms.shape[0], -1).mean([1], keepdim: true);
        return flatNms.gt(mean);
    }

    private static Tensor Capped(Tensor indices, Tensor scores, int cap)
    {
        if (indices.shape[0] <= cap)
            return indices;
        Tensor order = scores.index_select(0, indices).sort(descending: true).Indices;
        return indices.index_select(0, order.narrow(0, 0, cap));
    }

    private static Tensor[] KeepAll(IEnumerable<Tensor> perImage) =>
        perImage.Select(t => t.MoveToOuterDisposeScope()).ToArray();
}
