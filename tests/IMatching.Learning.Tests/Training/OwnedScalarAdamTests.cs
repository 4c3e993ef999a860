using IMatching.Learning.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Tests.Training;

/// <summary>The Adam whose native scalars are owned does exactly what TorchSharp's does, and checkpoints as it does.</summary>
public class OwnedScalarAdamTests
{
    private sealed class TwoLayers : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _first = nn.Linear(5, 4);
        private readonly Linear _second = nn.Linear(4, 2);

        /// <summary>Not part of the output: never has a gradient, so both optimisers must skip it alike.</summary>
        private readonly Linear _unused = nn.Linear(2, 2);

        public TwoLayers() : base(nameof(TwoLayers)) => RegisterComponents();

        public override Tensor forward(Tensor input) => _second.call(nn.functional.tanh(_first.call(input)));
    }

    private static TwoLayers Copy(TwoLayers source)
    {
        var copy = new TwoLayers();
        copy.load_state_dict(source.state_dict());
        return copy;
    }

    private static void Steps(TwoLayers network, OptimizerHelper optimizer, int from, int count)
    {
        for (int step = from; step < from + count; step++)
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)(1000 + step));
            var input = randn([7, 5], generator: generator);
            optimizer.zero_grad();
            network.call(input).square().sum().backward();
            optimizer.step();
        }
    }

    private static void AssertSameParameters(TwoLayers expected, TwoLayers actual)
    {
        var pairs = expected.named_parameters().Zip(actual.named_parameters());
        foreach (var ((name, e), (_, a)) in pairs)
            Assert.True(e.eq(a).all().item<bool>(), $"{name} differs");
    }

    [Fact]
    public void Its_updates_equal_TorchSharps_Adam_bit_for_bit()
    {
        manual_seed(11);
        using var reference = new TwoLayers();
        using var ours = Copy(reference);
        using var theirs = optim.Adam(reference.parameters(), 0.01);
        using var owned = new OwnedScalarAdam(ours.parameters(), 0.01);
        Steps(reference, theirs, 0, 6);
        Steps(ours, owned, 0, 6);
        AssertSameParameters(reference, ours);
        var moved = reference.named_parameters().Count(p => !p.name.StartsWith("_unused", StringComparison.Ordinal));
        Assert.Equal(4, moved);
    }

    [Fact]
    public void A_run_resumed_from_its_PyTorch_layout_state_continues_exactly()
    {
        manual_seed(12);
        using var straight = new TwoLayers();
        using var resumed = Copy(straight);
        using (var optimizer = new OwnedScalarAdam(straight.parameters(), 0.02)) Steps(straight, optimizer, 0, 6);

        using var saved = new MemoryStream();
        using (var first = new OwnedScalarAdam(resumed.parameters(), 0.02))
        {
            Steps(resumed, first, 0, 3);
            first.save_py(saved, leaveOpen: true);
        }
        saved.Position = 0;
        using var second = new OwnedScalarAdam(resumed.parameters(), 0.02);
        second.load_py(saved, leaveOpen: true);
        Steps(resumed, second, 3, 3);
        AssertSameParameters(straight, resumed);
    }
}
