using System.Text.Json;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Training;

/// <summary>What a checkpoint records besides the weights: where training stands and what it has seen.</summary>
public sealed record TrainingState(int Step, int Seed, string Model, Dictionary<string, int> Skipped, double? BestMetric, int? BestStep, double ElapsedSeconds);

/// <summary>
/// Checkpoints of a training run, each a folder: <c>model.pth</c> (the network's state dict, loadable by
/// PyTorch's load_state_dict), <c>optimizer.pth</c> (PyTorch optimiser layout) and <c>state.json</c>. A folder is
/// written under a temporary name, flushed to disk, then renamed, and the <c>latest</c> pointer is replaced
/// the same way: a run killed at any moment leaves the previous checkpoint intact and found.
/// </summary>
public sealed class TrainingCheckpoint(string outputDirectory)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    public string Directory { get; } = Path.Combine(outputDirectory, "checkpoints");
    private string LatestPointer => Path.Combine(outputDirectory, "latest");
    public string BestDirectory => Path.Combine(outputDirectory, "best");

    public static string Name(int step) => $"step-{step:D7}";

    public string Save(nn.Module network, OptimizerHelper optimizer, TrainingState state, int keep)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string final = Path.Combine(Directory, Name(state.Step));
        string temporary = Path.Combine(Directory, $".tmp-{Name(state.Step)}-{Guid.NewGuid():N}");
        WriteFolder(temporary, network, optimizer, state);
        if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, recursive: true);
        System.IO.Directory.Move(temporary, final);
        WriteAtomically(LatestPointer, Name(state.Step));
        Prune(keep);
        return final;
    }

    /// <summary>Copies a saved checkpoint to <c>best/</c>, replacing the previous best atomically.</summary>
    public void MarkBest(string checkpointFolder)
    {
        string temporary = BestDirectory + $".tmp-{Guid.NewGuid():N}";
        System.IO.Directory.CreateDirectory(temporary);
        foreach (var file in System.IO.Directory.GetFiles(checkpointFolder)) File.Copy(file, Path.Combine(temporary, Path.GetFileName(file)));
        string old = BestDirectory + $".old-{Guid.NewGuid():N}";
        if (System.IO.Directory.Exists(BestDirectory)) System.IO.Directory.Move(BestDirectory, old);
        System.IO.Directory.Move(temporary, BestDirectory);
        if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, recursive: true);
    }

    /// <summary>The folder of the newest complete checkpoint, or null when the run has none yet.</summary>
    public string? Latest()
    {
        if (!File.Exists(LatestPointer)) return null;
        string folder = Path.Combine(Directory, File.ReadAllText(LatestPointer).Trim());
        return System.IO.Directory.Exists(folder) ? folder : throw new InvalidDataException($"{LatestPointer} names {folder}, which does not exist.");
    }

    public static TrainingState Load(string folder, nn.Module network, OptimizerHelper optimizer)
    {
        LoadWeights(folder, network);
        optimizer.load_py(Required(folder, "optimizer.pth"));
        return ReadState(folder);
    }

    /// <summary>The network's weights only, strictly: every parameter and buffer must be in model.pth with its shape.</summary>
    public static void LoadWeights(string folder, nn.Module network) => network.load_py(Required(folder, "model.pth"), strict: true);

    private static string Required(string folder, string file)
    {
        string path = Path.Combine(folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Checkpoint {folder} lacks {file}.", path);
    }

    public static TrainingState ReadState(string folder)
    {
        string path = Required(folder, "state.json");
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static void WriteFolder(string folder, nn.Module network, OptimizerHelper optimizer, TrainingState state)
    {
        System.IO.Directory.CreateDirectory(folder);
        WriteDurably(Path.Combine(folder, "model.pth"), stream => network.save_py(stream, leaveOpen: true));
        WriteDurably(Path.Combine(folder, "optimizer.pth"), stream => optimizer.save_py(stream, leaveOpen: true));
        WriteDurably(Path.Combine(folder, "state.json"), stream => JsonSerializer.Serialize(stream, state, Json));
    }

    /// <summary>
    /// Serialises into memory first (some writers close the stream they are given), then writes the file and
    /// flushes it to the device, so a rename that follows never publishes a half-written file.
    /// </summary>
    private static void WriteDurably(string path, Action<Stream> write)
    {
        var buffer = new MemoryStream();
        write(buffer);
        byte[] bytes = buffer.ToArray();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + $".tmp-{Guid.NewGuid():N}";
        WriteDurably(temporary, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));
        File.Move(temporary, path, overwrite: true);
    }

    private void Prune(int keep)
    {
        var folders = System.IO.Directory.GetDirectories(Directory, "step-*").Order(StringComparer.Ordinal).ToList();
        foreach (var old in folders.Take(Math.Max(0, folders.Count - Math.Max(1, keep)))) System.IO.Directory.Delete(old, recursive: true);
    }
}
