namespace IMatching.Learning.Tests.SourceRules;

/// <summary>
/// No implicit number-to-Scalar conversion anywhere in the shipped or benchmarked code: each one is a native scalar
/// freed by the finalizer, possibly during the call that uses it (issue: "Unknown scalar type" after minutes of eval).
/// Use an explicit, disposed Scalar (<c>using Scalar s = 0.5.ToScalar()</c>) or a tensor constant instead.
/// </summary>
public class ImplicitScalarTests
{
    [Fact]
    public void The_scanner_finds_implicit_scalars_and_accepts_explicit_ones()
    {
        const string Source = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Sample
            {
                static Tensor Bad(Tensor t) => t.div(255f);
                static Tensor AlsoBad(Tensor t) => t.clamp_min(1e-10).add(1);
                // TorchSharp 0.107's number operators convert inside, leaving the scalar to the finalizer too.
                static Tensor Operators(Tensor t) => 2 * t / 0.5f;
                static Tensor Square(Tensor t) => t.square();
                static Tensor Good(Tensor t)
                {
                    using Scalar half = 0.5.ToScalar();
                    return t.mul(half);
                }
            }
            """;
        var found = ImplicitScalarScanner.Scan([("Sample.cs", Source)]);
        Assert.Equal(7, found.Count); // add(1) twice: the implicit 1, and add(Scalar)'s own implicit alpha
        Assert.Contains(found, f => f.StartsWith("Sample.cs:5:", StringComparison.Ordinal) && f.EndsWith("255f", StringComparison.Ordinal));
        Assert.Contains(found, f => f.StartsWith("Sample.cs:9:", StringComparison.Ordinal) && f.EndsWith("t.square()", StringComparison.Ordinal));
        Assert.DoesNotContain(found, f => f.StartsWith("Sample.cs:13:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_scanner_finds_what_TorchSharp_converts_inside_itself()
    {
        const string Source = """
            using TorchSharp;
            using TorchSharp.Modules;
            using static TorchSharp.torch;
            static class Sample
            {
                static Tensor Sum(Tensor a, Tensor b) => a + b;
                static Tensor Add(Tensor a, Tensor b) => a.add(b);
                static Tensor Difference(Tensor a, Tensor b) => a - b;
                static BatchNorm2d Norm() => nn.BatchNorm2d(4);
                static Tensor Elu(Tensor t) => nn.functional.elu(t, 1.0);
                static void Step(OptimizerHelper optimizer) => optimizer.step();
                static Tensor Relu(Tensor t) => nn.functional.relu(t);
                static Conv2d Conv() => nn.Conv2d(1, 1, 3);
                static System.Func<Scalar, Tensor> Group(Tensor t) => t.add;
            }
            """;
        var found = ImplicitScalarScanner.Scan([("Sample.cs", Source)]);
        int[] expected = [6, 7, 9, 10, 11, 14];
        Assert.Equal(expected, found.Select(f => int.Parse(f.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order());
    }

    [Theory]
    [InlineData("src/IMatching.Learning")]
    [InlineData("src/IMatching.Cli")]
    [InlineData("bench/IMatching.Bench")]
    public void No_implicit_scalar_in(string project)
    {
        string folder = Path.Combine(RepoPaths.Root, project);
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(folder, path)))
            .Select(path => (Path.GetRelativePath(RepoPaths.Root, path), File.ReadAllText(path)))
            .ToList();
        Assert.NotEmpty(sources);
        var found = ImplicitScalarScanner.Scan(sources);
        Assert.True(found.Count == 0, $"Implicit conversions to TorchSharp.Scalar ({found.Count}):\n{string.Join('\n', found)}");
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
}
