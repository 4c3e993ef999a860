using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace IMatching.Learning.Backbones.Alike;

/// <summary>
/// The ALIKE backbone (ALNet): a four-stage encoder at full, 1/2, 1/8 and 1/32 resolution whose 1x1-projected
/// features are upsampled to full resolution, concatenated and turned by the head into D descriptor channels plus
/// one score channel. Input sides must be multiples of 32 (see <see cref="AlikeNetwork.ExtractDenseMap"/>).
/// </summary>
public class AlNet : Module<Tensor, (Tensor Scores, Tensor Descriptors)>
{
    // Field names are the PyTorch attribute names: RegisterComponents turns them into state-dict keys.
    private readonly ConvBlock block1;
    private readonly ResBlock block2;
    private readonly ResBlock block3;
    private readonly ResBlock block4;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly Conv2d conv4;
    private readonly Conv2d? convhead1;
    private readonly Conv2d convhead2;

    /// <summary>Builds the untrained network of <paramref name="config"/> on the CPU.</summary>
    public AlNet(AlikeConfig config) : base(nameof(AlNet))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        block1 = new ConvBlock(3, config.C1);
        block2 = new ResBlock(config.C1, config.C2);
        block3 = new ResBlock(config.C2, config.C3);
        block4 = new ResBlock(config.C3, config.C4);

        int quarter = config.Dim / 4;
        conv1 = Conv2d(config.C1, quarter, kernel_size: 1, bias: false);
        conv2 = Conv2d(config.C2, quarter, kernel_size: 1, bias: false);
        conv3 = Conv2d(config.C3, quarter, kernel_size: 1, bias: false);
        // The reference sizes this input by dim, not c4; all published configs have c4 == dim.
        conv4 = Conv2d(config.Dim, quarter, kernel_size: 1, bias: false);

        if (!config.SingleHead)
            convhead1 = Conv2d(config.Dim, config.Dim, kernel_size: 1, bias: false);
        convhead2 = Conv2d(config.Dim, config.Dim + 1, kernel_size: 1, bias: false);
        RegisterComponents();
    }

    /// <summary>The architecture this network was built with.</summary>
    public AlikeConfig Config { get; }

    /// <summary>
    /// Runs the network on an NCHW RGB batch in [0,1] whose sides are multiples of 32. Returns the score map
    /// (Bx1xHxW, sigmoid of the last head channel) and the raw, not yet normalised, descriptor map (BxDxHxW).
    /// </summary>
    public override (Tensor Scores, Tensor Descriptors) forward(Tensor image)
    {
        using var scope = NewDisposeScope();
        var (scores, descriptors) = Head(Branches(image));
        return (scores.MoveToOuterDisposeScope(), descriptors.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The encoder's four 1x1-projected stages at full resolution (each B x D/4 x H x W): what <see cref="Head"/> turns,
    /// pixel by pixel, into scores and descriptors.
    /// </summary>
    public Tensor[] Branches(Tensor image)
    {
        using var scope = NewDisposeScope();
        Tensor x1 = block1.call(image);
        Tensor x2 = block2.call(functional.max_pool2d(x1, kernel_size: 2, stride: 2));
        Tensor x3 = block3.call(functional.max_pool2d(x2, kernel_size: 4, stride: 4));
        Tensor x4 = block4.call(functional.max_pool2d(x3, kernel_size: 4, stride: 4));

        long[] fullSize = [x1.shape[2], x1.shape[3]];
        Tensor[] branches =
        [
            functional.relu(conv1.call(x1)),
            UpsampleTo(functional.relu(conv2.call(x2)), fullSize),
            UpsampleTo(functional.relu(conv3.call(x3)), fullSize),
            UpsampleTo(functional.relu(conv4.call(x4)), fullSize),
        ];
        scope.MoveToOuter(branches);
        return branches;
    }

    /// <summary>
    /// The score map (sigmoid of the last head channel) and the raw descriptors of <see cref="Branches"/>, or of any
    /// same rows and columns of them: every layer here works on each pixel alone.
    /// </summary>
    public (Tensor Scores, Tensor Descriptors) Head(IReadOnlyList<Tensor> branches)
    {
        using var scope = NewDisposeScope();
        Tensor aggregated = cat([.. branches], dim: 1);
        if (convhead1 is not null)
            aggregated = functional.relu(convhead1.call(aggregated));
        Tensor head = convhead2.call(aggregated);

        long dim = head.shape[1] - 1;
        Tensor descriptors = head.narrow(1, 0, dim);
        Tensor scores = sigmoid(head.narrow(1, dim, 1));
        return (scores.MoveToOuterDisposeScope(), descriptors.MoveToOuterDisposeScope());
    }

    // The reference uses nn.Upsample(scale_factor=2|8|32, bilinear, align_corners=True). With align_corners the
    // sampling positions depend only on the input and output sizes, so asking for the full size is identical.
    private static Tensor UpsampleTo(Tensor x, long[] size) =>
        functional.interpolate(x, size: size, mode: InterpolationMode.Bilinear, align_corners: true);
}
