using System.Diagnostics;
using System.Reflection;
using IMatching.TestSupport;

namespace IMatching.Cli.Tests.TestSupport;

/// <summary>The built CLI as a separate process: for what only a process shows (its start, native stderr, a kill).</summary>
public static class CliProcess
{
    public static string Executable()
    {
        string configuration = typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        string path = Path.Combine(RepoPaths.Root, "src", "IMatching.Cli", "bin", configuration, "net10.0", "linux-x64", "imatching");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the CLI first.", path);
    }

    /// <summary>A start description with both outputs redirected and <paramref name="args"/> as the arguments.</summary>
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo(Executable()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        return info;
    }
}
