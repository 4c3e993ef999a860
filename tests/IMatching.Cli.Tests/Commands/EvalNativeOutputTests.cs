using System.Diagnostics;
using IMatching.Cli.Tests.TestSupport;

namespace IMatching.Cli.Tests.Commands;

/// <summary>What libtorch writes to the process's own stderr, which only a separate process shows.</summary>
public class EvalNativeOutputTests
{
    [Fact]
    public async Task EvaluatingALearnedMatcherLogsNoNnpackLines()
    {
        // ALIKE-T at 320x240 is what made libtorch log "Could not initialize NNPACK!" at every convolution (234 lines
        // for these 7 pairs) on CPUs NNPACK does not support, this project's VM among them.
        var info = CliProcess.StartInfo("eval", "--data", "synthetic:underwater?frames=8&size=320x240", "--model", "alike-t+exp",
            "--queries", "alike-frozen:300");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("alike-t+exp", await stdout);
        Assert.DoesNotContain("NNPACK", stderr);
    }
}
