using IMatching.Learning.Backbones.Alike;
using static TorchSharp.torch;

namespace IMatching.Learning.Matching;

/// <summary>
/// One ALIKE frame for <see cref="FrameByFrameRecompute"/> with its full-resolution maps beside the graph, the head
/// run over bands of rows. ALIKE's head works on each pixel alone (1x1 convolutions, the score sigmoid, the
/// descriptors' normalisation), so a band of its maps is the head of the same band of the encoder's upsampled stages,
/// and a band a multiple of the pooling factor high holds whole coarse cells. The recomputation then holds the
/// encoder's graph and its four 32-channel stages, and only a band of the head's 129-channel activations and their
/// gradients, where the whole frame's head was most of a frame's 1.4 GiB at 640x480 (its input, its output, the
/// normalised descriptors and a gradient of each).
/// </summary>
internal sealed class AlikeRowBands(AlikeNetwork network, int poolFactor, Func<Tensor, Tensor> coarse) : IFrameRecomputation
{
    /// <summary>Rows a band holds before rounding to whole coarse cells: 64 x 640 pixels of 129 channels are 21 MB.</summary>
    private const int Rows = 64;

    private long BandRows => poolFactor * Math.Max(1, Rows / poolFactor);

    /// <returns>The coarse level (the output in the graph), the normalised descriptors (beside it) and the scores.</returns>
    public RecomputedFrame Forward(Tensor frame)
    {
        using var scope = NewDisposeScope();
        long height = frame.shape[2], width = frame.shape[3];
        Tensor[] stages = network.Branches(Padded(frame));
        Tensor descriptors = empty([1, network.Config.Dim, height, width], dtype: frame.dtype, device: frame.device);
        Tensor scores = empty([1, 1, height, width], dtype: frame.dtype, device: frame.device);
        foreach (var (first, count) in Bands(height))
        {
            using var band = NewDisposeScope();
            var maps = Band([.. stages.Select(s => s.narrow(2, first, count))], width);
            descriptors.narrow(2, first, count).copy_(maps.Descriptors);
            scores.narrow(2, first, count).copy_(maps.Scores);
        }
        return new RecomputedFrame(coarse(descriptors).MoveToOuterDisposeScope(), descriptors.MoveToOuterDisposeScope(), scores.MoveToOuterDisposeScope());
    }

    public void Backward(Tensor frame, Tensor? outputGradient, Tensor? besideGradient)
    {
        if (outputGradient is null && besideGradient is null) return;
        using var scope = NewDisposeScope();
        long height = frame.shape[2], width = frame.shape[3];
        Tensor[] stages = network.Branches(Padded(frame));
        // Each band's head starts from leaves of its own rows (a band of the whole stages would make a full-size zero
        // gradient per band); their gradients are gathered per stage and the encoder is back-propagated once, at the end.
        Tensor[] stageGradients = [.. stages.Select(s => zeros_like(s))];
        foreach (var (first, count) in Bands(height))
        {
            using var band = NewDisposeScope();
            Tensor[] leaves = [.. stages.Select(s => s.narrow(2, first, count).detach().requires_grad_(true))];
            var maps = Band(leaves, width);
            List<Tensor> tensors = [], gradients = [];
            long cells = count / poolFactor;
            if (outputGradient is not null && cells > 0)
            {
                tensors.Add(coarse(maps.Descriptors));
                gradients.Add(outputGradient.narrow(2, first / poolFactor, cells));
            }
            if (besideGradient is not null)
            {
                tensors.Add(maps.Descriptors);
                gradients.Add(besideGradient.narrow(2, first, count));
            }
            if (tensors.Count == 0) continue;
            autograd.backward(tensors, gradients);
            for (int i = 0; i < leaves.Length; i++)
                if (leaves[i].grad is { } gradient) stageGradients[i].narrow(2, first, count).copy_(gradient);
        }
        autograd.backward(stages, stageGradients);
    }

    /// <summary>Rows [first, first + count) of <see cref="AlikeNetwork.ExtractDenseMap"/>, from those rows of the padded frame's stages.</summary>
    private AlikeDenseMaps Band(Tensor[] stageRows, long width)
    {
        using var scope = NewDisposeScope();
        var (scores, descriptors) = network.Head(stageRows);
        // A band lies within the frame's rows: only its columns may be padded.
        var maps = AlikeNetwork.CroppedAndNormalised(scores, descriptors, scores.shape[2], width);
        return new AlikeDenseMaps(maps.Scores.MoveToOuterDisposeScope(), maps.Descriptors.MoveToOuterDisposeScope());
    }

    private IEnumerable<(long First, long Count)> Bands(long height)
    {
        for (long first = 0; first < height; first += BandRows)
            yield return (first, Math.Min(BandRows, height - first));
    }

    private static Tensor Padded(Tensor frame) => AlikeNetwork.PadToMultipleOf32(frame);
}
