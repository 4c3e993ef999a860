using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Matching;

/// <summary>
/// Patch2Pix's idea in small: from the concatenated local fine-level features of both images around a coarse match
/// (N x 2D x P x P), regress a sub-pixel offset of the point in B and the probability that the match is an inlier.
/// Output N x 3: two raw offsets (the caller bounds them) and one inlier logit. State-dict keys are PyTorch's
/// (<c>regressor.0.weight</c>, ...), so a checkpoint round-trips with Python.
/// </summary>
public sealed class RegressionNetwork : Module<Tensor, Tensor>
{
    public const int DefaultSeed = 0;

    private readonly Sequential regressor;

    /// <param name="descriptorDim">D, the fine level's channels per image.</param>
    /// <param name="patchSize">P, at least 7: three unpadded 3x3 convolutions shrink it by 6.</param>
    /// <param name="seed">Initialises the weights reproducibly without disturbing the global generator's sequence.</param>
    public RegressionNetwork(int descriptorDim, int patchSize, long seed = DefaultSeed) : base(nameof(RegressionNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(descriptorDim);
        ArgumentOutOfRangeException.ThrowIfLessThan(patchSize, 7);
        PatchSize = patchSize;
        int remaining = patchSize - 6;
        // The layers' constructors draw their default weights from the global generator: its state is put back, so
        // that building a head leaves the sequence of a caller who seeded it as it was.
        Tensor saved = random.get_rng_state();
        try
        {
            regressor = Sequential(
                Conv2d(2 * descriptorDim, 64, 3), ReLU(),
                Conv2d(64, 64, 3), ReLU(),
                Conv2d(64, 32, 3), ReLU(),
                Flatten(),
                Linear(32 * remaining * remaining, 3));
        }
        finally
        {
            random.set_rng_state(saved);
            saved.Dispose();
        }
        Initialise(regressor, seed);
        RegisterComponents();
    }

    public int PatchSize { get; }

    /// <summary>Restores a head saved by <see cref="Save"/> (or by PyTorch's <c>torch.save(state_dict)</c>), strictly.</summary>
    /// <exception cref="Backbones.StateDictMismatchException">The file is not a head of this size.</exception>
    public static RegressionNetwork Load(string path, int descriptorDim, int patchSize)
    {
        var network = new RegressionNetwork(descriptorDim, patchSize);
        try
        {
            Backbones.StateDictLoader.LoadFile(network, path);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Writes the weights as a PyTorch state dict.</summary>
    public void Save(string path) => this.save_py(path);

    public override Tensor forward(Tensor patches) => regressor.call(patches);

    /// <summary>
    /// PyTorch's default initialisation of every convolution and linear layer (weights and biases uniform in
    /// ±1/√fan-in, the weights' bound computed as <c>kaiming_uniform_</c> with a = √5 computes it), drawn in layer order
    /// from a generator of its own: the same weights as constructing the layers after <c>manual_seed(seed)</c>, whatever
    /// other threads do with the global generator meanwhile.
    /// </summary>
    private static void Initialise(Sequential layers, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGradient = no_grad();
        foreach (var module in layers.children())
        {
            var (weight, bias) = module switch
            {
                Conv2d conv => (conv.weight!, conv.bias),
                Linear linear => (linear.weight!, linear.bias),
                _ => (null, null),
            };
            if (weight is null) continue;
            long fanIn = weight.shape.Skip(1).Aggregate(1L, (product, size) => product * size);
            double bound = Math.Sqrt(3.0) * (Math.Sqrt(2.0 / (1 + 5.0)) / Math.Sqrt(fanIn));
            // Tensor.uniform_, not init.uniform_: TorchSharp's init.uniform_ draws another sequence from a generator.
            weight.uniform_(-bound, bound, generator);
            bias?.uniform_(-1 / Math.Sqrt(fanIn), 1 / Math.Sqrt(fanIn), generator);
        }
    }
}
