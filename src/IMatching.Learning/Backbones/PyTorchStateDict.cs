using System.Collections;
using System.IO.Compression;
using IMatching.Geometry;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IMatching.Learning.Backbones;

/// <summary>Reads a PyTorch <c>state_dict</c> file (<c>torch.save</c> zip format) into CPU tensors without loading it into a network.</summary>
internal static class PyTorchStateDict
{
    /// <summary>Key to tensor; the caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> Read(string path) => Tensors(Unpickle(path), path);

    /// <summary>Key to tensor from an open <c>torch.save</c> stream the library trusts (an embedded resource); <paramref name="origin"/> names it in errors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, string origin) =>
        Tensors(PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true, skipTensorRead: false), origin);

    private static Dictionary<string, Tensor> Tensors(Hashtable table, string path)
    {
        var result = new Dictionary<string, Tensor>(table.Count);
        foreach (DictionaryEntry entry in table)
        {
            result[(string)entry.Key] = entry.Value as Tensor
                ?? throw new UserInputException(path, $"entry '{entry.Key}' is a {entry.Value?.GetType().FullName ?? "null"}, not a tensor");
        }
        return result;
    }

    /// <summary>
    /// The top-level object of a <c>torch.save</c> file. Empty, random, truncated or non-zip files are a
    /// <see cref="UserInputException"/> naming the file: the unpickler alone would blame an "old PyTorch format"
    /// or a zip directory without saying which file.
    /// </summary>
    public static Hashtable Unpickle(string path)
    {
        InputPaths.RequireFile(path, "weight file");
        RequireZipWithPickle(path);
        try
        {
            using FileStream stream = File.OpenRead(path);
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        // The archive is whole, so what fails now is the bytes inside it; the unpickler's failures on bytes it cannot
        // parse share no exception type (NotImplementedException, InvalidCastException, pickle errors...).
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UserInputException(path, $"not a PyTorch state dict: {e.Message}", e);
        }
    }

    /// <summary>
    /// What keeps a file from being a whole <c>torch.save</c> archive, or null: cheap, reads no tensor. The one check
    /// of weight files, checkpoints' model and optimiser files alike.
    /// </summary>
    internal static string? ArchiveProblem(string path)
    {
        long bytes = new FileInfo(path).Length;
        if (bytes == 0) return "empty";
        try
        {
            // PyTorch files are zip archives; a truncated one has lost its central directory at the end.
            using ZipArchive archive = ZipFile.OpenRead(path);
            return archive.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                ? null
                : "truncated or not a PyTorch file: a zip archive without the data.pkl that torch.save writes";
        }
        catch (InvalidDataException)
        {
            return $"truncated or not a PyTorch file ({bytes} bytes, not a whole torch.save zip archive)";
        }
    }

    private static void RequireZipWithPickle(string path)
    {
        if (ArchiveProblem(path) is { } problem) throw new UserInputException(path, $"not a PyTorch state dict: {problem}");
    }
}
