using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Caps;

/// <summary>
/// The CAPS feature network as the official checkpoints hold it: a <see cref="ResUNet"/> registered as <c>net</c>,
/// so every state-dict name carries the <c>net.</c> prefix of PyTorch's <c>CAPSNet</c>.
/// </summary>
public sealed class CapsNetwork : Module<Tensor, CapsFeatureMaps>
{
    [ComponentName(Name = "net")]
    private readonly ResUNet _net;

    public CapsNetwork(CapsEncoder encoder) : base(nameof(CapsNetwork))
    {
        Encoder = encoder;
        _net = new ResUNet(encoder);
        RegisterComponents();
    }

    public CapsEncoder Encoder { get; }

    /// <inheritdoc cref="ResUNet.forward"/>
    public override CapsFeatureMaps forward(Tensor rgb) => _net.call(rgb);

    /// <summary>
    /// Builds the network for <paramref name="encoder"/> and fills it from a CAPS checkpoint
    /// (<c>{'step', 'state_dict'}</c>, e.g. the official <c>caps-pretrained.pth</c>), strictly; it comes back in eval
    /// mode on <paramref name="device"/> (CPU when null).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The file is not a CAPS checkpoint, or its keys/shapes differ from the network's (all offenders are listed).
    /// </exception>
    public static CapsNetwork Load(string path, CapsEncoder encoder, Device? device = null)
    {
        var network = new CapsNetwork(encoder);
        try
        {
            network.LoadStateFrom(path);
            network.eval();
            return device is null ? network : network.to(device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Writes a checkpoint PyTorch's CAPS code loads unchanged (<c>torch.load(path)['state_dict']</c>).</summary>
    public void Save(string path, long step = 0)
    {
        // Detached like PyTorch's state_dict(), so the file does not mark parameters as requiring grad.
        using var scope = NewDisposeScope();
        CapsCheckpoint.Write(path, step, StateDictOrder.Entries(this).Select(e => (e.Name, e.Value.detach())));
    }

    private void LoadStateFrom(string path)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> loaded = CapsCheckpoint.ReadStateDict(path);
        Dictionary<string, Tensor> own = state_dict();
        StateDictMatch.Require(own, loaded, $"CAPS checkpoint '{path}' ({Encoder})");

        using var noGrad = no_grad();
        foreach (var (name, target) in own)
            target.copy_(loaded[name]);
    }
}
