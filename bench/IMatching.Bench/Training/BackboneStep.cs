using System.Diagnostics;
using IMatching.Learning;
using IMatching.Learning.Matching;
using IMatching.Learning.Training;
using IMatching.Vision.Datasets;
using static TorchSharp.torch;

namespace IMatching.Bench.Training;

/// <summary>
/// What a training step would cost with a free head: the backbone alone on a clip's frames, forward, backward of a
/// trivial loss on every map it outputs (coarse, fine, scores), and an Adam update of its weights. The yardstick
/// the full step is compared with.
/// </summary>
internal static class BackboneStep
{
    /// <returns>Median seconds per step over <paramref name="runs"/> steps after a warm-up step.</returns>
    public static double Measure(IDenseBackbone backbone, IReadOnlyList<Frame> frames, int runs)
    {
        using var scope = NewDisposeScope();
        Tensor images = cat([.. frames.Select(f => ImageTensor.Load(f.ImagePath, backbone.Device))], 0);
        using var optimizer = new OwnedScalarAdam(backbone.Network.parameters(), 1e-5);
        // The step's mode: batch-norm statistics frozen (imperative learning's default), so the backbone runs as it does
        // in the step (ALIKE then recomputes a clip's frames one at a time in the backward pass).
        backbone.Train(false);
        var seconds = new List<double>();
        for (int run = 0; run <= runs; run++)
        {
            using var stepScope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            DenseFeatures features = backbone.Extract(images);
            Tensor loss = features.Coarse.Map.mean().Plus(features.Fine.Map.mean());
            if (features.Scores is { } scores) loss = loss.Plus(scores.mean());
            Backward.Run(loss);
            optimizer.step();
            if (run > 0) seconds.Add(clock.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        return seconds[seconds.Count / 2];
    }
}
