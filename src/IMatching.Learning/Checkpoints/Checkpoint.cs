using IMatching.Geometry;
using IMatching.Learning.Backbones;
using System.Text.Json;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Checkpoints;

/// <summary>
/// One checkpoint folder: <c>model.pth</c> (the network's state dict under its PyTorch names, loadable by
/// PyTorch's load_state_dict), <c>optimizer.pth</c> (PyTorch optimiser layout) and <c>state.json</c>.
/// Every file is written in full and flushed before the folder is published (see <see cref="RunFolder"/>).
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.pth";
    public const string OptimizerFile = "optimizer.pth";
    public const string StateFile = "state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The folder name of step <paramref name="step"/>; zero-padded so that ordinal order is step order.</summary>
    public static string Name(int step) => $"step-{step:D7}";

    public static void Write(string folder, nn.Module network, OptimizerHelper optimizer, TrainingState state)
    {
        Directory.CreateDirectory(folder);
        WriteDurably(Path.Combine(folder, ModelFile), stream => network.save_py(stream, leaveOpen: true));
        WriteDurably(Path.Combine(folder, OptimizerFile), stream => optimizer.save_py(stream, leaveOpen: true));
        WriteDurably(Path.Combine(folder, StateFile), stream => JsonSerializer.Serialize(stream, state, Json));
    }

    /// <summary>Weights, optimiser state and training state of a checkpoint, for resuming.</summary>
    public static TrainingState Load(string folder, nn.Module network, OptimizerHelper optimizer)
    {
        LoadWeights(folder, network);
        string path = Required(folder, OptimizerFile);
        Readable(path, () => optimizer.load_py(path));
        return ReadState(folder);
    }

    /// <summary>The network's weights only, strictly: every parameter and buffer must be in model.pth with its shape.</summary>
    public static void LoadWeights(string folder, nn.Module network)
    {
        string path = Required(folder, ModelFile);
        Readable(path, () => network.load_py(path, strict: true));
    }

    public static TrainingState ReadState(string folder)
    {
        string path = Required(folder, StateFile);
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path)) ?? throw new UserInputException(path, "empty");
        }
        catch (JsonException e)
        {
            throw new UserInputException(path, $"not a training state: {e.Message}", e);
        }
    }

    /// <summary>
    /// What is wrong with a checkpoint folder, naming the file, or null when it is intact: each file present and
    /// non-empty, the state readable and the .pth files complete archives. Cheap: reads no tensor.
    /// </summary>
    public static string? Problem(string folder)
    {
        if (!Directory.Exists(folder)) return $"{folder} does not exist";
        foreach (string file in new[] { ModelFile, OptimizerFile })
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path)) return $"{path} is missing";
            if (PyTorchStateDict.ArchiveProblem(path) is { } problem) return $"{path}: {problem}";
        }
        try
        {
            ReadState(folder);
            return null;
        }
        catch (UserInputException e)
        {
            return e.Message.TrimEnd('.');
        }
    }

    private static string Required(string folder, string file)
    {
        string path = Path.Combine(folder, file);
        return File.Exists(path) ? path : throw new UserInputException(folder, $"a checkpoint without its {file}");
    }

    /// <summary>
    /// TorchSharp reports an empty or damaged file as an "old PyTorch format" or a zip error without naming the
    /// file; this names it.
    /// </summary>
    private static void Readable(string path, Action load)
    {
        if (PyTorchStateDict.ArchiveProblem(path) is { } problem) throw new UserInputException(path, problem);
        try
        {
            load();
        }
        catch (Exception e) when (e is InvalidDataException or NotImplementedException or EndOfStreamException or NotSupportedException)
        {
            throw new UserInputException(path, $"truncated or not a PyTorch file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Serialises into memory first (some writers close the stream they are given), then writes the file and
    /// flushes it to the device, so a rename that follows never publishes a half-written file.
    /// </summary>
    internal static void WriteDurably(string path, Action<Stream> write)
    {
        var buffer = new MemoryStream();
        write(buffer);
        byte[] bytes = buffer.ToArray();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }
}
