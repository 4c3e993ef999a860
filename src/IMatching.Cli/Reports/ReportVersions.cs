using System.Reflection;
using System.Runtime.InteropServices;
using OpenCvSharp;
using TorchSharp;

namespace IMatching.Cli.Reports;

/// <summary>The software that made a report: enough to tell two reports' runs apart.</summary>
public static class ReportVersions
{
    public static IReadOnlyList<(string Name, string Version)> Collect() =>
    [
        ("imatching", Informational(typeof(ReportVersions).Assembly)),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("TorchSharp", Informational(typeof(torch).Assembly)),
        ("OpenCV", Cv2.GetVersionString() ?? "unknown"),
        ("OS", $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})"),
    ];

    private static string Informational(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
