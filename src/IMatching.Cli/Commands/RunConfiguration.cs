using IMatching.Geometry;
using System.Reflection;
using System.Text.Json;
using IMatching.Learning.Models;
using IMatching.Learning.Training;

namespace IMatching.Cli.Commands;

/// <summary>
/// A run's resolved configuration, written to its folder as <c>config.json</c>: the data, model and validation specs,
/// every option (the command's own in <see cref="Method"/>), the seed (in <see cref="Training"/>) and the versions
/// that made it. <c>--config FILE</c> reads it back, so the same file repeats the run.
/// </summary>
/// <param name="Threads">libtorch CPU threads, or null for one per core; multi-threaded backward passes may sum in another order.</param>
internal sealed record RunConfiguration<TMethod>(string Command, string Data, string Model, string Output, string? Validation, TrainingOptions Training,
    TMethod Method, MatcherContext Context, int? Threads, IReadOnlyDictionary<string, string> Versions)
{
    /// <summary><c>train --adapt-batchnorm-only</c>: the run re-estimated batch-norm statistics and took no gradient step.</summary>
    public bool AdaptBatchNormOnly { get; init; }

    // Fields, for the (Width, Height) tuples of the pretraining options.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, IncludeFields = true };

    public static IReadOnlyDictionary<string, string> CurrentVersions => new Dictionary<string, string>
    {
        ["imatching"] = Version(typeof(RunConfiguration<>).Assembly),
        ["torchsharp"] = Version(typeof(TorchSharp.torch).Assembly),
        ["dotnet"] = Environment.Version.ToString(),
    };

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <exception cref="InvalidDataException">The file is not a configuration of this command.</exception>
    public static RunConfiguration<TMethod> Read(string path, string command)
    {
        if (!File.Exists(path)) throw new UserInputException($"--config {path}", "does not exist");
        RunConfiguration<TMethod>? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<RunConfiguration<TMethod>>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"--config {path}", $"not a run configuration: {e.Message}", e);
        }
        if (configuration is null || configuration.Training is null || configuration.Method is null || configuration.Context is null)
            throw new UserInputException($"--config {path}", "not a complete run configuration");
        return configuration.Command == command
            ? configuration
            : throw new UserInputException($"--config {path}", $"configures '{configuration.Command}', not '{command}'");
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
