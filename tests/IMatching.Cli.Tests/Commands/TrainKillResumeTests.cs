using System.Diagnostics;
using IMatching.Cli.Tests.TestSupport;
using IMatching.Learning.Checkpoints;

namespace IMatching.Cli.Tests.Commands;

/// <summary>A training run killed with SIGKILL mid-way leaves a valid checkpoint, and --resume finishes the run from it.</summary>
[Trait("Category", "Long")]
public class TrainKillResumeTests
{
    private static Process Start(string output, int steps, bool resume)
    {
        var info = CliProcess.StartInfo(
            "train", "--data", "synthetic:office?frames=10&seed=3&size=160x120", "--model", $"alike-t+exp:{Path.Combine(RepoPaths.Shared, "weights", "alike", "alike-t.pth")}",
            "--out", output, "--steps", steps.ToString(), "--checkpoint-every", "1", "--clip-length", "4", "--max-features", "120");
        if (resume) info.ArgumentList.Add("--resume");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [Fact]
    public void KilledRunResumesFromItsLastCheckpoint()
    {
        string output = Directory.CreateTempSubdirectory("imatching-kill-").FullName;
        var checkpoints = new RunFolder(output);
        using (var run = Start(output, steps: 50, resume: false))
        {
            var deadline = DateTime.UtcNow.AddMinutes(4);
            while (checkpoints.Latest() is not { } latest || Checkpoint.ReadState(latest).Step < 2)
            {
                Assert.False(run.HasExited, "the run ended before it could be killed");
                Assert.True(DateTime.UtcNow < deadline, "no second checkpoint within 4 minutes");
                Thread.Sleep(200);
            }
            run.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            run.WaitForExit();
        }

        string killedAt = checkpoints.Latest()!;
        int step = Checkpoint.ReadState(killedAt).Step;
        Assert.True(File.Exists(Path.Combine(killedAt, "model.pth")) && new FileInfo(Path.Combine(killedAt, "model.pth")).Length > 0);
        Assert.All(Directory.GetDirectories(checkpoints.CheckpointsDirectory, "step-*"), d => Assert.True(File.Exists(Path.Combine(d, "state.json")), $"{d} is incomplete"));

        using var resumed = Start(output, steps: step + 2, resume: true);
        Assert.True(resumed.WaitForExit(TimeSpan.FromMinutes(4)), "the resumed run did not finish");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Equal(step + 2, Checkpoint.ReadState(checkpoints.Latest()!).Step);
    }
}
