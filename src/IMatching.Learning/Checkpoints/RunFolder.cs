using IMatching.Geometry;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace IMatching.Learning.Checkpoints;

/// <summary>
/// The folder of one training run: <c>checkpoints/step-N/</c>, the <c>latest</c> pointer, <c>best/</c>,
/// <c>tensorboard/</c>, <c>skips.log</c> and <c>config.json</c>. A checkpoint is written under a temporary name,
/// flushed, then renamed, and <c>latest</c> is replaced the same way: a run killed at any moment leaves the
/// previous checkpoint intact and found. One run writes a folder at a time.
/// </summary>
public sealed class RunFolder(string path)
{
    private const string TemporaryMark = ".tmp-";

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string CheckpointsDirectory => Combine("checkpoints");
    public string BestDirectory => Combine("best");
    public string TensorBoardDirectory => Combine("tensorboard");
    public string SkipLog => Combine("skips.log");
    public string ConfigFile => Combine("config.json");
    private string LatestPointer => Combine("latest");

    /// <summary>Everything a run writes at the top of its folder; <see cref="RunMode.Overwrite"/> clears exactly these.</summary>
    private IEnumerable<string> RunEntries => [CheckpointsDirectory, BestDirectory, LatestPointer, TensorBoardDirectory, SkipLog, ConfigFile];

    /// <summary>
    /// Readies the folder for a run in <paramref name="mode"/>, before any work: removes temporary folders a killed run
    /// left, refuses to mix a new run into an old one, and finds the checkpoint to resume from.
    /// </summary>
    /// <param name="warn">Told when a damaged latest checkpoint is passed over for an older intact one.</param>
    public RunStart Start(RunMode mode, Action<string>? warn = null) => new(this, Prepare(mode, warn));

    private string? Prepare(RunMode mode, Action<string>? warn)
    {
        bool resume = mode is RunMode.Resume or RunMode.ResumeWithFallback;
        if (resume && !Directory.Exists(Path))
            throw new UserInputException(Path, "cannot resume: the run folder does not exist");
        try
        {
            Directory.CreateDirectory(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException(Path, $"cannot create the run folder: {e.Message}", e);
        }
        RemoveStaleTemporaries();
        if (resume) return ResumePoint(mode == RunMode.ResumeWithFallback, warn);
        if (HoldsRun)
        {
            if (mode == RunMode.New)
                throw new UserInputException(Path, $"already holds a run ({Describe()}): continue it with --resume or replace it with --overwrite");
            foreach (string entry in RunEntries) Delete(entry);
        }
        return null;
    }

    /// <summary>Whether the folder holds (part of) a run: a checkpoint, a best model, a latest pointer or logs.</summary>
    public bool HoldsRun => RunEntries.Any(e => File.Exists(e) || Directory.Exists(e));

    /// <summary>The folder of the newest complete checkpoint, or null when the run has none yet.</summary>
    public string? Latest()
    {
        if (!File.Exists(LatestPointer)) return null;
        string folder = System.IO.Path.Combine(CheckpointsDirectory, File.ReadAllText(LatestPointer).Trim());
        return Directory.Exists(folder) ? folder : throw new UserInputException(LatestPointer, $"names {folder}, which does not exist");
    }

    /// <summary>Writes a checkpoint, points <c>latest</c> at it and keeps the newest <paramref name="keep"/>.</summary>
    public string Save(nn.Module network, OptimizerHelper optimizer, TrainingState state, int keep)
    {
        Directory.CreateDirectory(CheckpointsDirectory);
        string name = Checkpoint.Name(state.Step);
        string final = System.IO.Path.Combine(CheckpointsDirectory, name);
        string temporary = System.IO.Path.Combine(CheckpointsDirectory, $"{TemporaryMark}{name}-{Guid.NewGuid():N}");
        Checkpoint.Write(temporary, network, optimizer, state);
        Discard(final);
        Directory.Move(temporary, final);
        string pointer = LatestPointer + $"{TemporaryMark}{Guid.NewGuid():N}";
        Checkpoint.WriteDurably(pointer, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(name)));
        File.Move(pointer, LatestPointer, overwrite: true);
        Prune(keep);
        return final;
    }

    /// <summary>Copies a saved checkpoint to <c>best/</c>, replacing the previous best atomically.</summary>
    public void MarkBest(string checkpointFolder)
    {
        string temporary = BestDirectory + $"{TemporaryMark}{Guid.NewGuid():N}";
        Directory.CreateDirectory(temporary);
        foreach (var file in Directory.GetFiles(checkpointFolder)) File.Copy(file, System.IO.Path.Combine(temporary, System.IO.Path.GetFileName(file)));
        string old = BestDirectory + $"{TemporaryMark}old-{Guid.NewGuid():N}";
        if (Directory.Exists(BestDirectory)) Directory.Move(BestDirectory, old);
        Directory.Move(temporary, BestDirectory);
        Delete(old);
    }

    private string? ResumePoint(bool fallback, Action<string>? warn)
    {
        string? problem = !File.Exists(LatestPointer)
            ? $"{Path} has no 'latest' checkpoint pointer; it holds {Describe()}"
            : Checkpoint.Problem(System.IO.Path.Combine(CheckpointsDirectory, File.ReadAllText(LatestPointer).Trim()));
        if (problem is null) return Latest();
        string? intact = Steps().Reverse().FirstOrDefault(folder => Checkpoint.Problem(folder) is null);
        if (intact is null)
            throw new UserInputException(Path, $"cannot resume: {problem}, and no intact checkpoint remains; start a new run instead (with --overwrite if the folder holds one)");
        if (!fallback)
            throw new UserInputException(Path, $"cannot resume: {problem}. Resume from the newest intact checkpoint ({System.IO.Path.GetFileName(intact)}) with --resume-fallback, or start over with --overwrite");
        warn?.Invoke($"{problem}; resuming from the newest intact checkpoint, {intact}");
        return intact;
    }

    /// <summary>What the folder holds, for error messages.</summary>
    private string Describe()
    {
        var entries = Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (entries.Count == 0) return "nothing";
        var steps = Steps().Select(System.IO.Path.GetFileName).ToList();
        string checkpoints = steps.Count == 0 ? "" : $"; checkpoints {string.Join(", ", steps)}";
        return $"{string.Join(", ", entries.Take(12))}{(entries.Count > 12 ? ", ..." : "")}{checkpoints}";
    }

    /// <summary>Checkpoint folders in step order.</summary>
    private IEnumerable<string> Steps() => Directory.Exists(CheckpointsDirectory)
        ? Directory.GetDirectories(CheckpointsDirectory, "step-*").Order(StringComparer.Ordinal)
        : [];

    /// <summary>A SIGKILL during a write leaves its temporary folder or pointer behind; nothing ever reads them.</summary>
    private void RemoveStaleTemporaries()
    {
        var stale = Directory.EnumerateFileSystemEntries(Path, $"*{TemporaryMark}*");
        if (Directory.Exists(CheckpointsDirectory)) stale = stale.Concat(Directory.EnumerateFileSystemEntries(CheckpointsDirectory, $"{TemporaryMark}*"));
        foreach (string entry in stale.ToList()) Delete(entry);
    }

    private void Prune(int keep)
    {
        var folders = Steps().ToList();
        foreach (var old in folders.Take(Math.Max(0, folders.Count - Math.Max(1, keep)))) Discard(old);
    }

    /// <summary>
    /// Removes a checkpoint folder without ever leaving a partial one under its name: it is first renamed to a
    /// temporary name (atomic), then deleted, so a SIGKILL midway leaves a temporary that the next start removes.
    /// </summary>
    private void Discard(string folder)
    {
        if (!Directory.Exists(folder)) return;
        string doomed = System.IO.Path.Combine(CheckpointsDirectory, $"{TemporaryMark}discarded-{System.IO.Path.GetFileName(folder)}-{Guid.NewGuid():N}");
        Directory.Move(folder, doomed);
        Delete(doomed);
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static void Delete(string entry)
    {
        if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
        else if (File.Exists(entry)) File.Delete(entry);
    }
}
