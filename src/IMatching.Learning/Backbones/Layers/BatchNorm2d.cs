using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Layers;

/// <summary>
/// PyTorch's BatchNorm2d (same parameters, buffers and state-dict keys, same arithmetic), except that the training-mode
/// batch counter is incremented without the implicit native scalar TorchSharp 0.107's own forward makes for it (left
/// to the finalizer, which may free it during the call: the "Unknown scalar type" crash of long runs).
/// </summary>
public sealed class BatchNorm2d(long features) : BatchNorm(features, 1e-5, 0.1, true, true, null, null, nameof(BatchNorm2d))
{
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double averageFactor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            using (no_grad()) num_batches_tracked.Increment();
            // No momentum: a cumulative average over the batches seen, as PyTorch does.
            averageFactor = momentum ?? 1.0 / num_batches_tracked.item<long>();
        }
        bool useBatchStatistics = training || (running_mean is null && running_var is null);
        bool useRunning = !training || track_running_stats;
        return functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null,
            weight, bias, useBatchStatistics, averageFactor, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.dim() != 4) throw new ArgumentException($"BatchNorm2d expects a 4-D input (N x C x H x W), got {input.dim()}-D.", nameof(input));
    }
}
