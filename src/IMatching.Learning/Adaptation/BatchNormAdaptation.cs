using IMatching.Learning.Matching;
using IMatching.Vision.Datasets;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Adaptation;

/// <summary>
/// The statistics-only baseline every adaptation result must beat (AdaBN): re-estimates each batch-norm layer's
/// running mean and variance on unlabelled target frames, with no gradient step and no label. Imperative learning
/// claims more than a change of normalisation only where it beats this.
/// </summary>
public static class BatchNormAdaptation
{
    /// <summary>
    /// Replaces the running statistics of every batch-norm layer by their average over <paramref name="frames"/>
    /// (two frames a forward pass, the way a clip is batched); leaves the matcher in inference mode. Each frame must
    /// have the size its intrinsics describe, as everywhere else.
    /// </summary>
    /// <returns>The number of batch-norm layers re-estimated (0 for a network without any).</returns>
    public static int Run(IDifferentiableMatcher matcher, IReadOnlyList<Frame> frames)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count < 2) throw new ArgumentException("Batch-norm adaptation needs at least 2 frames.", nameof(frames));
        var norms = matcher.Network.modules().OfType<NormBase>().ToList();
        if (norms.Count == 0) return 0;
        var momenta = norms.Select(n => n.momentum).ToList();
        try
        {
            foreach (var norm in norms)
            {
                norm.reset_running_stats();
                norm.momentum = null; // a cumulative average over every batch, not an exponential one favouring the last
            }
            matcher.Train(true);
            using var noGrad = no_grad();
            for (int first = 0; first + 1 < frames.Count; first += 2)
            {
                using var scope = NewDisposeScope();
                Tensor a = Load(frames[first], matcher.Device);
                Tensor b = Load(frames[first + 1], matcher.Device);
                matcher.Predict([a, b], [(0, 1)]);
            }
        }
        finally
        {
            for (int i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
            matcher.Train(false);
        }
        return norms.Count;
    }

    private static Tensor Load(Frame frame, Device device)
    {
        using var image = FrameImageLoader.Load(frame);
        return ImageTensor.FromMat(image, device);
    }
}
