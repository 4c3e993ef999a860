using System.Diagnostics;
using System.Globalization;

namespace IMatching.Bench.Training;

/// <summary>
/// Runs a PyTorch eager script of bench/python and prints its table, so this project's figures and PyTorch's for the
/// same computation come from one run on one machine. Skipped, with a note, where no Python has torch
/// (Debian: <c>apt-get install python3-torch</c>); never needed by the project itself.
/// </summary>
internal static class PythonReference
{
    /// <summary>The first interpreter found that imports torch: a virtual environment's, then the system's.</summary>
    private static readonly string[] Interpreters = ["python3", "/usr/bin/python3"];

    public static void Run(string script, IReadOnlyList<string> sizes, int runs)
    {
        string? path = FindScript(script);
        string? python = Interpreters.FirstOrDefault(HasTorch);
        if (path is null || python is null)
        {
            Console.WriteLine(path is null ? $"PyTorch reference skipped: bench/python/{script} not found" : "PyTorch reference skipped: no python3 with torch (apt-get install python3-torch)");
            return;
        }
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { path, "--threads", TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture), "--runs", runs.ToString(CultureInfo.InvariantCulture), "--sizes", string.Join(',', sizes) })
            start.ArgumentList.Add(argument);
        if (Program.NativeHeapKept)
        {
            // The same glibc setting as this process (NativeHeap), through the environment glibc reads at start.
            start.Environment["MALLOC_MMAP_MAX_"] = "0";
            start.Environment["MALLOC_TRIM_THRESHOLD_"] = IMatching.Learning.NativeHeap.KeptFreeBytes.ToString(CultureInfo.InvariantCulture);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {python}.");
        while (process.StandardOutput.ReadLine() is { } line) Console.WriteLine(line);
        process.WaitForExit();
        if (process.ExitCode != 0) Console.WriteLine($"PyTorch reference: {python} {script} exited with code {process.ExitCode}");
    }

    private static bool HasTorch(string python)
    {
        try
        {
            var start = new ProcessStartInfo(python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null) return false;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>bench/python beside this project, found from the repository root (the folder holding IMatching.slnx).</summary>
    private static string? FindScript(string script)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IMatching.slnx")))
                return File.Exists(Path.Combine(dir.FullName, "bench", "python", script)) ? Path.Combine(dir.FullName, "bench", "python", script) : null;
        return null;
    }
}
