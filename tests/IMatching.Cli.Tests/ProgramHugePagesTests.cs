using System.Diagnostics;
using System.Text;
using IMatching.Cli.Tests.TestSupport;
using IMatching.Learning;
using IMatching.TestSupport;

namespace IMatching.Cli.Tests;

/// <summary>The CLI restarts a tensor command with glibc asking for huge pages, and the command still gets its arguments.</summary>
public class ProgramHugePagesTests
{
    [Fact]
    public async Task ATensorCommandRunsWithHugePagesAskedAndItsArguments()
    {
        string graf = Path.Combine(RepoPaths.Shared, "data", "graf");
        var info = CliProcess.StartInfo("match", Path.Combine(graf, "img1.png"), Path.Combine(graf, "img2.png"), "--model", "alike-n", "--max-features", "300");
        info.Environment.Remove(HugePages.Variable);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The process id survives the re-execution; its environment file then shows the new environment.
        bool sawTunable = false;
        while (!process.HasExited && !sawTunable)
        {
            try
            {
                sawTunable = Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{process.Id}/environ")).Split('\0')
                    .Contains($"{HugePages.Variable}=glibc.malloc.hugetlb=1");
            }
            catch (IOException) { break; }
            await Task.Delay(5);
        }
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("img1.png", await stdout);
        bool offered = File.Exists(HugePages.ModeFile) && HugePages.KernelOffers(File.ReadAllText(HugePages.ModeFile));
        // glibc 2.36 on Debian 12, the supported platform, knows the tunable; the kernel decides whether it is offered.
        Assert.Equal(offered, sawTunable);
    }
}
